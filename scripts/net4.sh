#!/usr/bin/env bash
# Four validators of one chain on loopback ports, driven by config.yml (keys
# net4_ for the network, net4_vN_ for validator N), equal stake.
#   scripts/net4.sh init           fresh homes, keys, one genesis from the four gentxs, peers
#   scripts/net4.sh start          start the four nodes (init first if there is no home) and wait for blocks
#   scripts/net4.sh stop           stop every node
#   scripts/net4.sh status         heights, or "not running"
#   scripts/net4.sh kill N         SIGKILL validator N (a crash)
#   scripts/net4.sh restart N      stop validator N if it runs, start it again
# The node setup itself is in scripts/lib.sh (shared with localnet.sh and xchain.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VALS=$(cfg net4_validators)

# val N selects validator N for the lib.sh functions.
val() {
  case " $VALS " in *" $1 "*) ;; *) die "no validator '$1': one of $VALS" ;; esac
  CP_SHARED=net4_
  use_chain "net4_v$1_"
}

# net4_init makes the four homes. Validator 1's home builds the genesis: it funds
# every validator's and proxy's key (made in that validator's home), names the
# admission authority, is copied to the others for their gentxs, collects them
# and is copied out again. Genesis gentx operators are admitted as they are
# delivered (docs/design.md §7), so the ante admits the four MsgCreateValidator.
net4_init() {
  local n first=${VALS%% *} genesis0 peers="" id
  for n in $VALS; do
    val "$n"
    node_fresh_home
    node_add_keys $(ccfg validator_key) $(ccfg proxy_key) $(ccfg_opt accounts)
    node_config
    # Four nodes on one address: CometBFT must accept that and dial them.
    toml_set "$HOME_DIR/config/config.toml" p2p addr_book_strict false
    toml_set "$HOME_DIR/config/config.toml" p2p allow_duplicate_ip true
    id=$(medex comet show-node-id)
    peers="$peers${peers:+,}$id@127.0.0.1:$(ccfg p2p_port)"
  done

  val "$first"
  genesis0=$HOME_DIR/config/genesis.json
  local balance=$(cfg account_balance) a
  for n in $VALS; do
    [ "$n" = "$first" ] && continue
    val "$n"
    for a in $(addr "$(ccfg validator_key)") $(addr "$(ccfg proxy_key)"); do
      "$BIN" --home "$ROOT/$(cfg "net4_v${first}_home")" genesis add-genesis-account "$a" "$balance"
    done
  done
  val "$first"
  node_genesis_authority

  step "Gentxs of the four validators, collected in $HOME_DIR"
  for n in $VALS; do
    val "$n"
    [ "$n" = "$first" ] || cp "$genesis0" "$HOME_DIR/config/genesis.json"
    node_gentx
    [ "$n" = "$first" ] || cp "$HOME_DIR"/config/gentx/*.json "$(dirname "$genesis0")/gentx/"
  done
  val "$first"
  node_collect_gentxs "$(echo $VALS | wc -w)"
  for n in $VALS; do
    val "$n"
    [ "$n" = "$first" ] || cp "$genesis0" "$HOME_DIR/config/genesis.json"
    # Each node's peers are the other three.
    toml_set "$HOME_DIR/config/config.toml" p2p persistent_peers "\"$(printf '%s' "$peers" | tr ',' '\n' | grep -v "127.0.0.1:$(ccfg p2p_port)\$" | paste -sd,)\""
  done
  info "persistent peers: $peers"
}

net4_start() {
  local n
  val "${VALS%% *}"
  [ -d "$HOME_DIR/config" ] || net4_init
  for n in $VALS; do val "$n"; node_launch; done
  for n in $VALS; do val "$n"; node_wait_height 2; info "$CHAIN_ID $(ccfg validator_moniker): height $(node_height)"; done
}

# net4_restart N starts validator N again (its home kept) and waits until it
# answers on its RPC port (it may be catching up, not yet at the others' height).
net4_restart() {
  val "$1"
  node_stop
  node_launch
  wait_until 60 "$(ccfg validator_moniker) RPC on $RPC" node_height
  info "$(ccfg validator_moniker) restarted: height $(node_height)"
}

net4_status() {
  local n
  for n in $VALS; do val "$n"; printf '%s ' "$(ccfg validator_moniker)"; node_status; done
}

# Sourced (scripts/net4-faults.sh), this file only defines the functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-}" in
  init) net4_init ;;
  start) net4_start ;;
  stop) for n in $VALS; do val "$n"; node_stop; done ;;
  status) net4_status ;;
  kill) val "${2:?validator number}"; node_kill ;;
  restart) net4_restart "${2:?validator number}" ;;
  *) echo "usage: $0 init|start|stop|status|kill N|restart N" >&2; exit 2 ;;
esac
