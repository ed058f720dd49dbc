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

# ports_free [PREFIX] dies naming the first port of the chosen chain
# (config.yml) that something already listens on; PREFIX, if the calling
# script takes its ports from the environment, is their prefix (BENCH:
# BENCH_RPC_PORT, ...).
ports_free() {
  command -v ss >/dev/null || return 0
  local p port
  for p in rpc_port p2p_port grpc_port api_port pprof_port metrics_port; do
    port=$(ccfg "$p")
    if ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then
      [ -n "${1:-}" ] || die "port $port ($p of $HOME_DIR) is in use"
      die "port $port ($p) is in use; set $1_$(printf '%s' "${p%_port}" | tr '[:lower:]' '[:upper:]')_PORT to a free port"
    fi
  done
}

# own_config NAME CHAIN_ID PREFIX RPC P2P GRPC API PPROF METRICS selects
# .localnet/NAME.yml, written from config.yml with another chain id, home
# (.localnet/NAME) and ports: same accounts and settings, so a script's own
# chain never clashes with a running demo or localnet. Each port is
# PREFIX_RPC_PORT (and so on) from the environment, else the default given.
own_config() {
  local name=$1 chain=$2 prefix=$3 p v i=4
  mkdir -p "$ROOT/.localnet"
  local args=(-e "s|^chain_id:.*|chain_id: $chain|" -e "s|^home:.*|home: .localnet/$name|")
  for p in rpc p2p grpc api pprof metrics; do
    v=${prefix}_$(printf '%s' "$p" | tr '[:lower:]' '[:upper:]')_PORT
    args+=(-e "s|^${p}_port:.*|${p}_port: ${!v:-${!i}}|")
    i=$((i + 1))
  done
  sed "${args[@]}" "$ROOT/config.yml" >"$ROOT/.localnet/$name.yml"
  export MEDEX_CONFIG=$ROOT/.localnet/$name.yml
  # shellcheck source=scripts/lib.sh
  source "$ROOT/scripts/lib.sh"
}

# own_node_start makes a fresh node of the script's own chain (own_config)
# and starts it; own_node_stop runs when the script exits, however it exits.
own_node_start() {
  trap own_node_stop EXIT
  trap 'exit 130' INT TERM
  bash "$ROOT/scripts/localnet.sh" init >/dev/null
  bash "$ROOT/scripts/localnet.sh" start
}

# own_node_stop stops that node and, unless KEEP_NODE=1, removes its home and
# config; then runs the script's own_cleanup, if it defines one.
own_node_stop() {
  bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
  if [ "${KEEP_NODE:-}" != 1 ]; then rm -rf "$HOME_DIR" "$MEDEX_CONFIG"; fi
  if declare -F own_cleanup >/dev/null; then own_cleanup; fi
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
    # It may exit between the check and either kill.
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do pid_alive "$pid" || break; sleep 0.5; done
    if pid_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
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

# ---------------------------------------------------------------------------
# The story (docs/protocol.md), shared by scripts/demo.sh (one validator) and
# scripts/net4-faults.sh (four): they act on the chain chosen with use_chain,
# its cast (ccfg patient_key, hospital_key, gateway_key, vault, device_id) and
# keep key files and readings in STORY (story_init). Every key is in the
# chosen home's keyring.

# LOCAL_PASSPHRASE encrypts every key file of the local networks; real users
# are prompted for theirs.
LOCAL_PASSPHRASE=demo-passphrase-not-for-real-use

# story_init DIR makes DIR the story's directory (emptied) and sets STORY and
# STORY_TXF, the flags of hand-written commands (they print one line and wait
# for the block themselves).
story_init() {
  STORY=$1
  rm -rf "$STORY" && mkdir -p "$STORY/readings" "$STORY/decrypted"
  export MEDEXCHAIN_PASSPHRASE=$LOCAL_PASSPHRASE
  STORY_TXF=(--chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" --node "$RPC" --yes --fees "20000$DENOM")
}

# story_keygen makes the vault, device and hospital (requester) key files in STORY.
story_keygen() {
  medex phr keygen vault --out "$STORY/vault.key" >/dev/null
  medex phr keygen device --out "$STORY/device.key" >/dev/null
  medex phr keygen requester --out "$STORY/hospital.key" >/dev/null
  info "$(ccfg patient_key) vault '$(ccfg vault)' A = $(cat "$STORY/vault.key.pub")"
  info "$(ccfg hospital_key) requester B = $(cat "$STORY/hospital.key.pub")"
}

# proxy_keygen FILE makes a proxy's HPKE key file (and FILE.pub) unless it exists.
proxy_keygen() { [ -f "$1" ] || medex phr keygen proxy --out "$1" >/dev/null; }

# admit_member ADDRESS ROLE PUBFILE: the admission authority admits ADDRESS.
admit_member() {
  send_tx phr admit-member "$1" "$2" --public-key "$(cat "$3")" --from "$(ccfg admin_key)" >/dev/null
}

# story_admit_hospital: the authority admits the hospital with its requester key.
story_admit_hospital() {
  admit_member "$(addr "$(ccfg hospital_key)")" hospital "$STORY/hospital.key.pub"
  info "hospital $(ccfg hospital_key) admitted"
}

# story_register: the patient registers the vault, then the device behind the gateway.
story_register() {
  send_tx phr register-patient "$(ccfg vault)=@$STORY/vault.key.pub" --from "$(ccfg patient_key)" >/dev/null
  info "patient $(addr "$(ccfg patient_key)") registered"
  medex tx phr register-device "$(ccfg device_id)" "$(ccfg vault)" "$STORY/device.key.pub" "$(addr "$(ccfg gateway_key)")" \
    --from "$(ccfg patient_key)" "${STORY_TXF[@]}" | sed 's/^/    /'
}

# proxy_launch NAME KEYFILE PIDFILE LOG [BIN] starts the proxy daemon of key NAME
# on the chosen node in the background (BIN: another build of medexchaind, the
# byzantine one of tests/faults); stop it with stop_pidfile.
proxy_launch() {
  MEDEXCHAIN_PASSPHRASE=$LOCAL_PASSPHRASE "${5:-$BIN}" --home "$HOME_DIR" --log_no_color proxy run \
    --from "$1" --proxy-key "$2" --chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" --node "$RPC" \
    --fees "20000$DENOM" --poll-interval 1s --max-backoff 2s >>"$4" 2>&1 &
  echo $! >"$3"
  disown $!
  info "proxy $1: pid $!, node $RPC, log $4"
}

# story_upload COUNT [NAME]: the device takes COUNT readings; its gateway
# firewalls and uploads them. Sets RECORDS to the new record ids; the
# simulator's output is in STORY/NAME.out (default simulate).
story_upload() {
  local out=$STORY/${2:-simulate}.out
  medex device simulate --device-id "$(ccfg device_id)" --device-key "$STORY/device.key" --count "$1" --interval 0s \
    --out-dir "$STORY/readings" --from "$(ccfg gateway_key)" "${STORY_TXF[@]}" | tee "$out" | sed 's/^/    /'
  RECORDS=$(sed -n 's/^record \([0-9]*\) .*/\1/p' "$out" | paste -sd' ')
  [ -n "$RECORDS" ] || die "the simulator uploaded no record"
}

# story_request MAX: the hospital requests access to the patient's vault for
# up to MAX records. Sets GRANT.
story_request() {
  local req
  req=$(medex tx phr request-access "$(addr "$(ccfg patient_key)")" "$(ccfg vault)" --from-time -24h --to-time 1h \
    --max-records "$1" --purpose "cardiology consult" --expiry 48h --from "$(ccfg hospital_key)" "${STORY_TXF[@]}")
  info "$req"
  GRANT=$(printf '%s' "$req" | sed -n 's/^grant \([0-9]*\) requested.*/\1/p')
  [ -n "$GRANT" ] || die "no grant id in: $req"
}

# story_grant GRANT: the patient grants it, fragments for every admitted proxy,
# threshold ccfg grant_threshold.
story_grant() {
  medex phr grant "$1" --vault-key "$STORY/vault.key" --threshold "$(ccfg grant_threshold)" \
    --from "$(ccfg patient_key)" "${STORY_TXF[@]}" | sed 's/^/    /'
}

# story_fetch GRANT RECORD...: the hospital fetches records; the chain opens their tasks.
story_fetch() { send_tx phr fetch-records "$@" --from "$(ccfg hospital_key)" >/dev/null; }

# complete_shares GRANT prints how many shares of GRANT are complete.
complete_shares() {
  medex q phr shares "$1" --node "$RPC" -o json | grep -c '"status": "SHARE_STATUS_COMPLETE"' || true
}

# story_wait_shares GRANT N SECS waits until N shares of GRANT are complete; dies after SECS.
story_wait_shares() {
  local done_shares
  for _ in $(seq 1 "$3"); do
    done_shares=$(complete_shares "$1")
    [ "$done_shares" -ge "$2" ] && break
    sleep 1
  done
  [ "$done_shares" -ge "$2" ] || die "only $done_shares of $2 shares of grant $1 complete after $3 s"
  info "$done_shares of $2 shares complete"
}

# story_decrypt GRANT RECORD...: the hospital decrypts each share and checks it
# against the reading the device produced.
story_decrypt() {
  local g=$1 r loinc
  shift
  for r in "$@"; do
    medex phr decrypt "$g" "$r" --requester-key "$STORY/hospital.key" --node "$RPC" --out "$STORY/decrypted/record-$r.json" >/dev/null
    cmp -s "$STORY/decrypted/record-$r.json" "$STORY/readings/record-$r.json" \
      || die "record $r: the decrypted FHIR differs from the device's"
    loinc=$(grep -o '"system":"http://loinc.org","code":"[^"]*","display":"[^"]*"' "$STORY/decrypted/record-$r.json" | head -n1 | sed 's/.*"code":"\([^"]*\)","display":"\([^"]*\)"/LOINC \1 (\2)/')
    info "record $r: $loinc, $(wc -c <"$STORY/decrypted/record-$r.json") bytes of FHIR, identical to the device's reading"
  done
}
