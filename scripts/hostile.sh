#!/usr/bin/env bash
# hostile.sh — malformed txs against a running medexchain node.
#
# Starts a fresh single-validator local chain (scripts/localnet.sh with its
# own config, home and ports, like scripts/bench-chain.sh), then runs the Go
# driver tests/hostile: it sets up the story (hospital, three proxies, the
# patient's vault and device, an upload, two 2-of-3 grants fetched so that
# tasks are open, one committed answer, a fourth proxy) through real txs
# and sends every case of tests/hostile/malformed, checking that the node
# stays up and keeps making blocks, that each refusal is the registered
# error the case expects, and that the phr and audit state is unchanged.
# It prints a table and `name value unit` lines (hostile_cases,
# hostile_crashes, hostile_unregistered, ...) and exits non-zero on any
# failure. The node is stopped at the end, whatever happens.
#
# Environment:
#   ONLY=text      run only the cases whose family/name contains text
#   HOSTILE_RPC_PORT, HOSTILE_P2P_PORT, HOSTILE_GRPC_PORT, HOSTILE_API_PORT, HOSTILE_PPROF_PORT, HOSTILE_METRICS_PORT
#                  the node's loopback ports (default 30757 30756 10090 2317 7060 30760)
#   KEEP_NODE=1    leave the node's home (.localnet/hostile) for inspection (it is always stopped)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"

# Our own copy of config.yml (another chain id, home and ports) with two
# more funded accounts: a fourth proxy and a stranger in no role.
source scripts/lib.sh
own_config hostile medexchain-hostile-1 HOSTILE 30757 30756 10090 2317 7060 30760
sed -i "s|^accounts:.*|& proxy4 stranger|" "$MEDEX_CONFIG"

# The run takes a few minutes of blocks: tasks must not time out under it.
hostile_genesis_params() {
	sed -i 's/"task_timeout_blocks": "[0-9]*"/"task_timeout_blocks": "100000"/' "$1"
	grep -q '"task_timeout_blocks": "100000"' "$1" || die "could not set task_timeout_blocks in $1"
	info "phr param task_timeout_blocks = 100000"
}
export -f hostile_genesis_params
export NODE_GENESIS_HOOK=hostile_genesis_params

ports_free HOSTILE

[ -x "$BIN" ] || die "$BIN not found: run 'make build' first"
step "Building the driver (tests/hostile)"
DRIVER=$ROOT/build/hostile
go build -o "$DRIVER" ./tests/hostile

own_node_start

step "Sending the hostile cases"
OUT=$(mktemp)
status=0
"$DRIVER" -node "$RPC" -home "$HOME_DIR" -chain-id "$CHAIN_ID" -keyring-backend "$KEYRING" -denom "$DENOM" \
	-gas-price 0.001 -pid "$(cat "$PIDFILE")" -only "${ONLY:-}" >"$OUT" || status=$?
step "Results"
cat "$OUT"
rm -f "$OUT"
if ! node_running; then
	tail -n 30 "$LOG" >&2 || true
	die "the node is not running after the cases; its last log lines are above"
fi
if [ "$status" != 0 ]; then
	grep -iE "panic|CONSENSUS FAILURE" "$LOG" | tail -n 5 >&2 || true
	die "the driver failed (exit $status): see the table above"
fi
