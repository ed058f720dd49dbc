# Shared helpers for the local network scripts. Source it; do not run it.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG=${MEDEX_CONFIG:-$ROOT/config.yml}
BIN=${MEDEXCHAIND:-$ROOT/build/medexchaind}

# cfg KEY prints the value of KEY from config.yml (flat "key: value" lines).
cfg() {
  local v
  v=$(sed -n "s/^$1:[[:space:]]*//p" "$CONFIG" | sed 's/[[:space:]]*#.*$//' | head -n1)
  if [ -z "$v" ]; then echo "config.yml: missing key '$1'" >&2; return 1; fi
  printf '%s\n' "$v"
}

# toml_set FILE SECTION KEY VALUE sets KEY = VALUE inside [SECTION] of a TOML
# file written by medexchaind (the key must exist there; VALUE is written as
# given, so quote strings). "" is the part before the first section.
toml_set() {
  local file=$1 section=$2 key=$3 value=$4 tmp
  tmp=$(mktemp)
  awk -v section="$section" -v key="$key" -v value="$value" '
    /^\[/ { cur = substr($0, 2, index($0, "]") - 2) }
    cur == section && $1 == key && $2 == "=" && !done { print key " = " value; done = 1; next }
    { print }
    END { if (!done) exit 1 }
  ' "$file" >"$tmp" || { rm -f "$tmp"; echo "$file: no key $key in [$section]" >&2; return 1; }
  mv "$tmp" "$file"
}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# cfg_opt KEY prints the value of KEY, or nothing when config.yml has no such key.
cfg_opt() { cfg "$1" 2>/dev/null || true; }

# use_chain PREFIX selects the chain the functions below act on: "" is the
# single chain of config.yml (scripts/localnet.sh, scripts/demo.sh), "a_" and
# "b_" the two chains of scripts/xchain.sh. ccfg KEY then reads PREFIX KEY.
use_chain() {
  CP=$1
  CHAIN_ID=$(ccfg chain_id)
  HOME_DIR=$ROOT/$(ccfg home)
  RPC="tcp://127.0.0.1:$(ccfg rpc_port)"
  PIDFILE=$HOME_DIR/node.pid
  LOG=$HOME_DIR/node.log
}
# With CP_SHARED set (scripts/net4.sh: CP the validator's prefix net4_vN_, CP_SHARED
# the network's net4_), a key the validator does not set is read from CP_SHARED.
ccfg() {
  if [ -n "${CP_SHARED:-}" ] && [ -z "$(cfg_opt "$CP$1")" ]; then cfg "$CP_SHARED$1"; else cfg "$CP$1"; fi
}
ccfg_opt() { ccfg "$1" 2>/dev/null || true; }

KEYRING=$(cfg keyring_backend)
DENOM=$(cfg denom)
use_chain ""

# medex runs medexchaind against the local node's home.
medex() { "$BIN" --home "$HOME_DIR" "$@"; }

# addr NAME prints the account address of a key in the local keyring.
addr() { medex keys show "$1" -a --keyring-backend "$KEYRING"; }

# txflags are the flags every local transaction needs beyond the node home's
# client.toml (chain id, keyring backend and node, set by `localnet.sh init`).
txflags() {
  echo --yes --gas auto --gas-adjustment 1.5 --fees 20000"$DENOM" --output json
}

# json_field NAME JSON prints the value of "NAME" in JSON: a string without its
# quotes, or a number (empty if absent). Enough for tx results; not a JSON parser.
json_field() {
  printf '%s' "$2" | tr -d '\n' | sed -nE "s/.*\"$1\": *(\"([^\"]*)\"|([^,}]*)).*/\2\3/p" | head -n1
}

# wait_tx HASH waits until the tx is in a block and fails with its log if it failed.
wait_tx() {
  local out code
  out=$(medex q wait-tx "$1" --node "$RPC" --timeout 30s --output json 2>&1) || die "tx $1 was not included: $out"
  code=$(json_field code "$out")
  if [ -n "$code" ] && [ "$code" != "0" ]; then
    die "tx $1 failed: $(json_field raw_log "$out")"
  fi
}

# send_tx ARGS... broadcasts a tx, waits for its block and checks its code.
send_tx() {
  local out hash code
  out=$(medex tx "$@" $(txflags) 2>&1) || die "$(printf '%s' "$out" | tail -n1)"
  code=$(json_field code "$out")
  if [ -n "$code" ] && [ "$code" != "0" ]; then
    die "tx refused at CheckTx: $(json_field raw_log "$out")"
  fi
  hash=$(json_field txhash "$out")
  [ -n "$hash" ] || die "no tx hash in: $out"
  wait_tx "$hash"
  echo "$hash"
}

# ports_free PREFIX dies naming the first port of the chosen chain
# (config.yml) that something already listens on; PREFIX is the calling
# script's environment prefix for its ports (BENCH: BENCH_RPC_PORT, ...).
ports_free() {
  command -v ss >/dev/null || return 0
  local p port
  for p in rpc_port p2p_port grpc_port api_port pprof_port metrics_port; do
    port=$(ccfg "$p")
    if ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then
      die "port $port ($p) is in use; set $1_$(printf '%s' "${p%_port}" | tr '[:lower:]' '[:upper:]')_PORT to a free port"
    fi
  done
}

# ---------------------------------------------------------------------------
# Node setup, shared by scripts/localnet.sh (one chain) and scripts/xchain.sh
# (two): each acts on the chain chosen with use_chain.

# key_algo NAME prints the key algorithm config.yml asks for NAME (key
# PREFIX NAME_algo, default secp256k1), falling back to secp256k1 when this
# medexchaind's keyring cannot make such keys (tried in a scratch keyring:
# `keys add --help` does not list the algorithms, and --dry-run uses a keyring
# without the app's options).
key_algo() {
  local want scratch
  want=$(ccfg_opt "$1_algo")
  [ -n "$want" ] || { echo secp256k1; return; }
  scratch=$(mktemp -d)
  if [ "$want" = secp256k1 ] || "$BIN" --home "$scratch" keys add probe --key-type "$want" --keyring-backend test >/dev/null 2>&1; then
    echo "$want"
  else
    info "key $1: this medexchaind cannot make $want keys; using secp256k1" >&2
    echo secp256k1
  fi
  rm -rf "$scratch"
}

# node_init makes a fresh home for the chosen chain: keys of the validator and
# of every account (funded at genesis), the admission authority, one validator
# from a gentx, then the node's config. The mnemonic of the key PREFIX
# relayer_key (if set) is kept in HOME/NAME.mnemonic for the relayer's own
# keyring. If NODE_GENESIS_HOOK names a function, it runs on the genesis file
# before the gentx (to set params).
node_init() {
  node_fresh_home
  node_add_keys $(ccfg validator_key) $(ccfg accounts)
  node_genesis_authority
  node_gentx
  node_collect_gentxs 1
  node_config
}

# node_fresh_home deletes and recreates the chosen node's home (medexchaind init).
node_fresh_home() {
  [ -x "$BIN" ] || die "$BIN not found: run 'make build' first"
  step "Creating a fresh home for $CHAIN_ID in $HOME_DIR"
  rm -rf "$HOME_DIR"
  medex init "$(ccfg validator_moniker)" --chain-id "$CHAIN_ID" --default-denom "$DENOM" >/dev/null 2>&1
}

# node_add_keys NAME... makes the keys in the home's keyring and funds them in its genesis.
node_add_keys() {
  local balance name algo out relayer
  balance=$(cfg account_balance)
  relayer=$(ccfg_opt relayer_key)
  for name in "$@"; do
    algo=$(key_algo "$name")
    out=$(medex keys add "$name" --key-type "$algo" --keyring-backend "$KEYRING" --output json 2>&1) \
      || die "keys add $name ($algo): $out"
    if [ "$name" = "$relayer" ]; then
      json_field mnemonic "$out" >"$HOME_DIR/$name.mnemonic"
      [ -s "$HOME_DIR/$name.mnemonic" ] || die "no mnemonic for $name"
    fi
    medex genesis add-genesis-account "$name" "$balance" --keyring-backend "$KEYRING"
    info "account $name $(addr "$name") ($algo)"
  done
}

# node_genesis_authority names the admission authority in the home's genesis and
# runs NODE_GENESIS_HOOK (if set) on it.
node_genesis_authority() {
  # The local admission authority (docs/design.md §7); production keeps governance.
  local admin genesis=$HOME_DIR/config/genesis.json
  admin=$(addr "$(ccfg admin_key)")
  sed -i "s/\"admission_authority\": \"\"/\"admission_authority\": \"$admin\"/" "$genesis"
  grep -q "\"admission_authority\": \"$admin\"" "$genesis" || die "could not set the admission authority in genesis"
  info "admission authority $admin ($(ccfg admin_key))"
  if [ -n "${NODE_GENESIS_HOOK:-}" ]; then "$NODE_GENESIS_HOOK" "$genesis"; fi
}

# node_gentx writes the home's validator gentx (HOME/config/gentx); the genesis
# must already fund the validator key. Genesis gentx operators are admitted as
# they are delivered (docs/design.md §7).
node_gentx() {
  local out
  out=$(medex genesis gentx "$(ccfg validator_key)" "$(ccfg validator_stake)" --chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" 2>&1) \
    || die "gentx $(ccfg validator_key): $out"
}

# node_collect_gentxs N builds the genesis from the gentxs in HOME/config/gentx (N of them).
node_collect_gentxs() {
  medex genesis collect-gentxs >/dev/null 2>&1
  medex genesis validate >/dev/null
  info "genesis validated: $1 validator(s) ($(ccfg validator_stake) each) from gentxs"
}

# node_config writes the node's config.toml, app.toml and client.toml settings.
node_config() {
  local comet=$HOME_DIR/config/config.toml app=$HOME_DIR/config/app.toml client=$HOME_DIR/config/client.toml
  # The CLI's defaults for this home: plain `medexchaind --home … tx …` needs no
  # --chain-id, --keyring-backend or --node.
  toml_set "$client" "" chain-id "\"$CHAIN_ID\""
  toml_set "$client" "" keyring-backend "\"$KEYRING\""
  toml_set "$client" "" node "\"$RPC\""
  toml_set "$comet" consensus timeout_commit "\"$(ccfg timeout_commit)\""
  # The relayer finds packets and acks after a restart through tx_search and
  # block_search: keep CometBFT's kv indexer on (it is the default).
  toml_set "$comet" tx_index indexer '"kv"'
  toml_set "$app" "" minimum-gas-prices "\"0.001$DENOM\""
  # REST gateway (the documented /medexchain/... routes), gRPC (the relayer's
  # queries) and metrics: CometBFT's Prometheus exporter on its own port, the
  # app's telemetry on the REST server at /metrics?format=prometheus.
  toml_set "$app" api enable true
  toml_set "$app" api address "\"tcp://127.0.0.1:$(ccfg api_port)\""
  toml_set "$app" grpc enable true
  toml_set "$app" grpc address "\"127.0.0.1:$(ccfg grpc_port)\""
  toml_set "$app" telemetry enabled true
  toml_set "$app" telemetry prometheus-retention-time "$(cfg telemetry_retention)"
  toml_set "$comet" instrumentation prometheus true
  toml_set "$comet" instrumentation prometheus_listen_addr "\"127.0.0.1:$(ccfg metrics_port)\""
  info "block time $(ccfg timeout_commit); REST on http://127.0.0.1:$(ccfg api_port), gRPC on 127.0.0.1:$(ccfg grpc_port), CometBFT metrics on http://127.0.0.1:$(ccfg metrics_port)/metrics"
}

# pid_alive PID: the process exists and is not a zombie (a killed node whose
# parent has exited waits for whoever reaps orphans).
pid_alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

node_running() { [ -f "$PIDFILE" ] && pid_alive "$(cat "$PIDFILE")"; }

node_height() { medex status --node "$RPC" 2>/dev/null | grep -o '"latest_block_height":"[0-9]*"' | grep -o '[0-9]*'; }

# node_wait_height H waits (up to 60 s) until the chosen chain is at height H or more.
node_wait_height() {
  local h
  for _ in $(seq 1 60); do
    node_running || { tail -n 20 "$LOG" >&2; die "$CHAIN_ID: node exited; last log lines above"; }
    h=$(node_height || true)
    if [ -n "$h" ] && [ "$h" -ge "$1" ]; then return 0; fi
    sleep 1
  done
  tail -n 20 "$LOG" >&2
  die "$CHAIN_ID: not at height $1 after 60 s"
}

# node_start starts the chosen chain's node in the background (pid in
# HOME/node.pid, log HOME/node.log) and waits for blocks.
node_start() {
  [ -d "$HOME_DIR/config" ] || node_init
  node_launch
  node_wait_height 2
  info "making blocks: height $(node_height)"
}

# node_launch starts the chosen node in the background without waiting for blocks
# (a validator of a multi-validator net makes none alone).
node_launch() {
  node_running && die "$CHAIN_ID: node already running (pid $(cat "$PIDFILE"))"
  node_height >/dev/null && die "another node already answers on $RPC; stop it or change the ports in config.yml"
  step "Starting medexchaind for $CHAIN_ID (rpc $RPC, log $LOG)"
  # $BIN directly, not the medex function: $! must be the node's own pid.
  "$BIN" --home "$HOME_DIR" start \
    --rpc.laddr "$RPC" \
    --p2p.laddr "tcp://127.0.0.1:$(ccfg p2p_port)" \
    --grpc.address "127.0.0.1:$(ccfg grpc_port)" \
    --api.address "tcp://127.0.0.1:$(ccfg api_port)" \
    --rpc.pprof_laddr "127.0.0.1:$(ccfg pprof_port)" \
    >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  # Out of the shell's job table: a node killed on purpose (node_kill) is not
  # reported as "Killed" by the script.
  disown $!
}

# stop_pidfile FILE WHAT stops the process whose pid FILE holds (SIGTERM,
# SIGKILL after 15 s), says "WHAT stopped" and removes FILE.
stop_pidfile() {
  local pid
  if [ -f "$1" ] && pid_alive "$(cat "$1")"; then
    pid=$(cat "$1")
    kill "$pid"
    for _ in $(seq 1 30); do pid_alive "$pid" || break; sleep 0.5; done
    pid_alive "$pid" && kill -9 "$pid"
    step "$2 stopped"
  fi
  rm -f "$1"
}

node_stop() { stop_pidfile "$PIDFILE" "$CHAIN_ID: node"; }

# node_kill kills the chosen node with SIGKILL (a crash, for the fault scripts):
# no clean shutdown.
node_kill() {
  if node_running; then
    kill -9 "$(cat "$PIDFILE")"
    while node_running; do sleep 0.2; done
    step "$CHAIN_ID: node killed (SIGKILL)"
  fi
  rm -f "$PIDFILE"
}

node_status() { if node_running; then echo "$CHAIN_ID: running, height $(node_height)"; else echo "$CHAIN_ID: not running"; fi; }

# wait_until SECONDS WHAT CMD... runs CMD every half second until it succeeds;
# dies naming WHAT after SECONDS.
wait_until() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null; then return 0; fi
    sleep 0.5
  done
  die "$what: not after $secs s"
}
