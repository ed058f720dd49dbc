#!/usr/bin/env bash
# The relayer between chain A (patient) and chain B (hospital) of scripts/xchain.sh.
#   scripts/rly.sh build        build rly (cosmos/relayer v2.6.0) into .tools/ once
#   scripts/rly.sh init         fresh rly home: both chains, the relayer keys, the path
#   scripts/rly.sh clients      07-tendermint clients on both chains (prints their ids)
#   scripts/rly.sh connection   the connection over those clients
#   scripts/rly.sh channel PORT VERSION   an UNORDERED channel PORT<->PORT with VERSION
#   scripts/rly.sh start        `rly start` in the background (pid file, log)
#   scripts/rly.sh stop         stop it
#   scripts/rly.sh status       running or not
#   scripts/rly.sh rly ARGS...  run rly against the home (for ad hoc queries)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

RLY_VERSION=v2.6.0
RLY_BIN=${RLY:-$ROOT/.tools/rly-$RLY_VERSION}
RLY_HOME=$ROOT/$(cfg rly_home)
RLY_PATH=$(cfg rly_path)
RLY_PIDFILE=$RLY_HOME/rly.pid
RLY_LOG=$RLY_HOME/rly.log

# build compiles rly from its module zip: `go install …@v2.6.0` fails (it asks
# the proxy for the version list), and the zip ships a go.work naming a folder
# it does not contain, hence the copy and GOWORK=off.
build() {
  [ -x "$RLY_BIN" ] && { info "rly $RLY_VERSION: $RLY_BIN (cached)"; return 0; }
  step "Building the relayer rly $RLY_VERSION into $RLY_BIN (once; about 5 min on 2 cores)"
  local dir src
  dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/cosmos/relayer/v2@$RLY_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download of github.com/cosmos/relayer/v2@$RLY_VERSION gave no module directory"
  src=$ROOT/.tools/src/relayer-$RLY_VERSION
  rm -rf "$src" && mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src" && chmod -R u+w "$src"
  (cd "$src" && GOWORK=off go build -o "$RLY_BIN.tmp" .) || die "rly build failed"
  mv "$RLY_BIN.tmp" "$RLY_BIN"
  rm -rf "$ROOT/.tools/src"
  info "built $RLY_BIN ($("$RLY_BIN" version 2>/dev/null | sed -n 's/^cosmos-sdk: */on cosmos-sdk /p'))"
}

rly_() { "$RLY_BIN" --home "$RLY_HOME" "$@"; }

# chain_file writes rly's chain config for the chain chosen with use_chain and prints its path.
chain_file() {
  local f=$RLY_HOME/$CHAIN_ID.json
  cat >"$f" <<JSON
{
  "type": "cosmos",
  "value": {
    "key": "$(ccfg relayer_key)",
    "chain-id": "$CHAIN_ID",
    "rpc-addr": "http://127.0.0.1:$(ccfg rpc_port)",
    "account-prefix": "medex",
    "keyring-backend": "test",
    "gas-adjustment": $(cfg rly_gas_adjustment),
    "gas-prices": "$(cfg rly_gas_price)",
    "min-gas-amount": 0,
    "max-gas-amount": 0,
    "debug": false,
    "timeout": "20s",
    "output-format": "json",
    "sign-mode": "direct",
    "coin-type": 118,
    "signing-algorithm": "",
    "broadcast-mode": "batch",
    "min-loop-duration": 0,
    "extension-options": []
  }
}
JSON
  echo "$f"
}

# init makes a fresh rly home: both chains, the relayer keys (restored from
# the mnemonics scripts/xchain.sh init kept; secp256k1, funded at genesis)
# and the path A→B.
init() {
  [ -x "$RLY_BIN" ] || build
  step "Configuring rly in $RLY_HOME: chains $(cfg a_chain_id) and $(cfg b_chain_id), path $RLY_PATH"
  stop >/dev/null
  rm -rf "$RLY_HOME" && mkdir -p "$RLY_HOME"
  rly_ config init >/dev/null
  local c f a
  for c in a_ b_; do
    use_chain $c
    f=$(chain_file)
    rly_ chains add --file "$f" "$CHAIN_ID" >/dev/null
    [ -s "$HOME_DIR/$(ccfg relayer_key).mnemonic" ] || die "no relayer mnemonic in $HOME_DIR: run scripts/xchain.sh init first"
    a=$(rly_ keys restore "$CHAIN_ID" "$(ccfg relayer_key)" "$(cat "$HOME_DIR/$(ccfg relayer_key).mnemonic")")
    [ "$a" = "$(addr "$(ccfg relayer_key)")" ] || die "rly restored $a on $CHAIN_ID, the chain funded $(addr "$(ccfg relayer_key)")"
    info "$CHAIN_ID: relayer key $(ccfg relayer_key) $a (secp256k1)"
  done
  rly_ paths new "$(cfg a_chain_id)" "$(cfg b_chain_id)" "$RLY_PATH" >/dev/null
  info "path $RLY_PATH: $(cfg a_chain_id) -> $(cfg b_chain_id)"
}

# path_field SIDE FIELD prints the path's src or dst FIELD (client-id, connection-id).
path_field() {
  rly_ paths show "$RLY_PATH" --json | tr -d '\n ' | sed -n "s/.*\"$1\":{[^}]*\"$2\":\"\([^\"]*\)\".*/\1/p"
}

clients() {
  step "rly tx clients $RLY_PATH: a 07-tendermint light client of each chain on the other"
  rly_ tx clients "$RLY_PATH" >>"$RLY_HOME/tx.log" 2>&1 || { tail -n 20 "$RLY_HOME/tx.log" >&2; die "rly tx clients failed (log $RLY_HOME/tx.log)"; }
  local ca cb
  ca=$(path_field src client-id); cb=$(path_field dst client-id)
  [ -n "$ca" ] && [ -n "$cb" ] || die "no client ids in the path after rly tx clients"
  info "on $(cfg a_chain_id): client $ca of $(cfg b_chain_id)"
  info "on $(cfg b_chain_id): client $cb of $(cfg a_chain_id)"
  settle
}

# settle waits for two more blocks on both chains: rly queries state at the
# latest height, where the txs it has just sent may not be visible yet.
settle() {
  local c h
  for c in a_ b_; do
    use_chain $c
    h=$(node_height)
    node_wait_height $((h + 2))
  done
}

connection() {
  step "rly tx connection $RLY_PATH: the connection handshake over those clients"
  rly_ tx connection "$RLY_PATH" >>"$RLY_HOME/tx.log" 2>&1 || { tail -n 20 "$RLY_HOME/tx.log" >&2; die "rly tx connection failed (log $RLY_HOME/tx.log)"; }
  info "connection $(path_field src connection-id) on $(cfg a_chain_id), $(path_field dst connection-id) on $(cfg b_chain_id)"
  settle
}

# channel PORT VERSION opens an UNORDERED channel PORT<->PORT with VERSION
# (rly defaults to transfer/ics20-1; the phr app needs its own).
channel() {
  local port=${1:?port} version=${2:?version} before after
  step "rly tx channel $RLY_PATH: port $port on both ends, version $version, unordered"
  before=$(channels_of "$port" a_ | wc -w)
  rly_ tx channel "$RLY_PATH" --src-port "$port" --dst-port "$port" --version "$version" --order unordered \
    >>"$RLY_HOME/tx.log" 2>&1 || { tail -n 20 "$RLY_HOME/tx.log" >&2; die "rly tx channel $port failed (log $RLY_HOME/tx.log)"; }
  after=$(channels_of "$port" a_ | wc -w)
  [ "$after" -gt "$before" ] || die "no new $port channel on $(cfg a_chain_id) after rly tx channel"
  info "$port channel $(channel_id "$port" a_) on $(cfg a_chain_id) <-> $(channel_id "$port" b_) on $(cfg b_chain_id)"
}

# channels_of PORT PREFIX lists the OPEN channel ids of PORT on chain PREFIX.
channels_of() {
  use_chain "$2"
  medex q ibc channel channels --node "$RPC" -o json 2>/dev/null | tr -d '\n ' \
    | grep -o '{"state":"STATE_OPEN"[^}]*}[^}]*"port_id":"'"$1"'","channel_id":"[^"]*"' \
    | sed 's/.*"channel_id":"\([^"]*\)"/\1/' || true
}

# channel_id PORT PREFIX prints the newest OPEN channel of PORT on chain PREFIX.
channel_id() { channels_of "$1" "$2" | sort -t- -k2 -n | tail -n1; }

running() { [ -f "$RLY_PIDFILE" ] && pid_alive "$(cat "$RLY_PIDFILE")"; }

start() {
  running && { info "rly already running (pid $(cat "$RLY_PIDFILE"))"; return 0; }
  "$RLY_BIN" --home "$RLY_HOME" start "$RLY_PATH" >>"$RLY_LOG" 2>&1 &
  echo $! >"$RLY_PIDFILE"
  sleep 1
  running || { tail -n 20 "$RLY_LOG" >&2; die "rly exited; last log lines above"; }
  step "rly start $RLY_PATH (pid $(cat "$RLY_PIDFILE"), log $RLY_LOG)"
}

stop() { stop_pidfile "$RLY_PIDFILE" rly; }

status() { if running; then echo "rly: running (pid $(cat "$RLY_PIDFILE"))"; else echo "rly: not running"; fi; }

case "${1:-}" in
  build) build ;;
  init) init ;;
  clients) clients ;;
  connection) connection ;;
  channel) shift; channel "$@" ;;
  channel-id) channel_id "${2:?port}" "${3:?a_ or b_}" ;;
  client-id) path_field "${2:?src or dst}" client-id ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  rly) shift; rly_ "$@" ;;
  *) echo "usage: $0 build|init|clients|connection|channel PORT VERSION|channel-id PORT a_|b_|client-id src|dst|start|stop|status|rly ARGS..." >&2; exit 2 ;;
esac
