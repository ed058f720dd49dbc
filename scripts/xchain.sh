#!/usr/bin/env bash
# Two medexchain chains on loopback, driven by config.yml (keys a_… and b_…):
# chain A is the patient's chain, chain B the hospital's. They differ in chain
# id, validator, block time, params and the hospital's key type.
#   scripts/xchain.sh init          fresh homes, keys, genesis, config of both chains
#   scripts/xchain.sh start         start both nodes (init first if there is no home) and wait for blocks
#   scripts/xchain.sh stop          stop both nodes
#   scripts/xchain.sh status        heights, or "not running"
#   scripts/xchain.sh start-one a|b / stop-one a|b / kill-one a|b (SIGKILL)   one node
# The node setup itself is in scripts/lib.sh (shared with scripts/localnet.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# phr_genesis_params GENESIS sets the chain's phr params that config.yml names
# (PREFIX phr_ibc_timeout_seconds).
phr_genesis_params() {
  local t
  t=$(ccfg_opt phr_ibc_timeout_seconds)
  [ -n "$t" ] || return 0
  if grep -q '"ibc_timeout_seconds":' "$1"; then
    sed -i "s/\"ibc_timeout_seconds\": \"[0-9]*\"/\"ibc_timeout_seconds\": \"$t\"/" "$1"
    grep -q "\"ibc_timeout_seconds\": \"$t\"" "$1" || die "could not set ibc_timeout_seconds in $1"
    info "phr param ibc_timeout_seconds = $t"
  else
    info "this medexchaind has no phr param ibc_timeout_seconds yet; not set"
  fi
}
NODE_GENESIS_HOOK=phr_genesis_params

chain() {
  case "$1" in
    a | A) use_chain a_ ;;
    b | B) use_chain b_ ;;
    *) die "no chain '$1': a or b" ;;
  esac
}

case "${1:-}" in
  init) for c in a b; do chain $c; node_init; done ;;
  start) for c in a b; do chain $c; node_start; done ;;
  stop) for c in b a; do chain $c; node_stop; done ;;
  status) for c in a b; do chain $c; node_status; done ;;
  start-one) chain "${2:?a or b}"; node_start ;;
  stop-one) chain "${2:?a or b}"; node_stop ;;
  kill-one) chain "${2:?a or b}"; node_kill ;;
  *) echo "usage: $0 init|start|stop|status|start-one a|b|stop-one a|b|kill-one a|b" >&2; exit 2 ;;
esac
