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

CHAIN_ID=$(cfg chain_id)
HOME_DIR=$ROOT/$(cfg home)
KEYRING=$(cfg keyring_backend)
DENOM=$(cfg denom)
RPC="tcp://127.0.0.1:$(cfg rpc_port)"

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
