#!/usr/bin/env bash
# Four validators of one chain on loopback ports, driven by config.yml (keys
# net4_ for the network, net4_vN_ for validator N), equal stake.
#   scripts/net4.sh init           fresh homes, keys (each validator's proxy HPKE key too), one genesis
#                                  from the four gentxs, peers
#   scripts/net4.sh start          start the four nodes (init first if there is no home), wait for blocks,
#                                  have the authority admit the four proxies (once), start their daemons
#   scripts/net4.sh stop           stop every proxy daemon and every node
#   scripts/net4.sh status         heights and proxies, or "not running"
#   scripts/net4.sh kill N         SIGKILL validator N's node (a crash; its proxy keeps retrying)
#   scripts/net4.sh restart N      stop validator N's node if it runs, start it again
#   scripts/net4.sh proxy-stop N   stop validator N's proxy daemon
#   scripts/net4.sh proxy-start N  start it again
# Validator N's proxy daemon (key net4_vN_proxy_key, HPKE key file HOME/proxy.key,
# pid HOME/proxy.pid, log HOME/proxy.log) talks to validator N's own node.
# The node setup itself is in scripts/lib.sh (shared with localnet.sh and xchain.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VALS=$(cfg net4_validators)
export MEDEXCHAIN_PASSPHRASE=$LOCAL_PASSPHRASE

# val N selects validator N for the lib.sh functions (and its proxy's files).
val() {
  case " $VALS " in *" $1 "*) ;; *) die "no validator '$1': one of $VALS" ;; esac
  CP_SHARED=net4_
  use_chain "net4_v$1_"
  PROXY_KEY=$HOME_DIR/proxy.key
  PROXY_PIDFILE=$HOME_DIR/proxy.pid
  PROXY_LOG=$HOME_DIR/proxy.log
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
    proxy_keygen "$PROXY_KEY"
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
  net4_admit_proxies
  for n in $VALS; do net4_proxy_start "$n"; done
}

# net4_stop stops the proxies, then the nodes: all told at once, then each
# waited for (SIGKILL after 15 s), so the net stops in the slowest node's time.
net4_stop() {
  local n
  for n in $VALS; do net4_proxy_stop "$n"; done
  for n in $VALS; do val "$n"; if node_running; then kill "$(cat "$PIDFILE")" 2>/dev/null || true; fi; done
  for n in $VALS; do val "$n"; node_stop; done
}

# net4_admit_proxies: the authority (in validator 1's home) admits each
# validator's proxy with its HPKE key, unless the chain has it already; every
# grant's committee is then the four proxies.
net4_admit_proxies() {
  local n a name pub first=${VALS%% *} members
  val "$first"
  members=$(medex q phr members --role proxy --node "$RPC" -o json)
  step "Proxies of the four validators, admitted by $(ccfg admin_key)"
  for n in $VALS; do
    val "$n"
    name=$(ccfg proxy_key) a=$(addr "$(ccfg proxy_key)") pub=$PROXY_KEY.pub
    val "$first"
    case "$members" in
      *"\"$a\""*) info "proxy $name $a already admitted" ;;
      *) admit_member "$a" proxy "$pub"; info "proxy $name $a admitted" ;;
    esac
  done
}

# net4_proxy_start N [BIN [LOG]] starts validator N's proxy daemon (BIN: another
# build, the byzantine one of tests/faults, logging to LOG).
net4_proxy_start() {
  proxy_running "$1" && die "proxy of val$1 already running (pid $(cat "$PROXY_PIDFILE"))"
  proxy_launch "$(ccfg proxy_key)" "$PROXY_KEY" "$PROXY_PIDFILE" "${3:-$PROXY_LOG}" "${2:-}"
}

# net4_proxy_stop N stops validator N's proxy daemon (continued first: one
# paused with SIGSTOP by the fault script would not see the SIGTERM).
net4_proxy_stop() {
  if proxy_running "$1"; then kill -CONT "$(cat "$PROXY_PIDFILE")" 2>/dev/null || true; fi
  stop_pidfile "$PROXY_PIDFILE" "$(ccfg proxy_key) (proxy of val$1)"
}

proxy_running() { val "$1"; [ -f "$PROXY_PIDFILE" ] && pid_alive "$(cat "$PROXY_PIDFILE")"; }

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
  for n in $VALS; do
    val "$n"
    printf '%s ' "$(ccfg validator_moniker)"; node_status
    if proxy_running "$n"; then info "$(ccfg proxy_key): running (pid $(cat "$PROXY_PIDFILE"))"; else info "$(ccfg proxy_key): not running"; fi
  done
}

# Sourced (scripts/net4-faults.sh), this file only defines the functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-}" in
  init) net4_init ;;
  start) net4_start ;;
  stop) net4_stop ;;
  status) net4_status ;;
  kill) val "${2:?validator number}"; node_kill ;;
  restart) net4_restart "${2:?validator number}" ;;
  proxy-stop) net4_proxy_stop "${2:?validator number}" ;;
  proxy-start) net4_proxy_start "${2:?validator number}" ;;
  *) echo "usage: $0 init|start|stop|status|kill N|restart N|proxy-stop N|proxy-start N" >&2; exit 2 ;;
esac
