#!/usr/bin/env bash
# gas-table.sh — measure the phr gas table (docs/gas.md).
#
# Times every crypto operation the chain charges gas for, exactly as
# x/phr/keeper runs it, against the SDK's secp256k1 signature check (1000
# gas) in the same run, and prints the markdown table, the calibrated
# constants for x/phr/types/gas.go and whether gas.go charges at least that
# (exit status 1 if a constant is too low). Then prints the GasUsed of
# typical txs through the whole app (TestGasOfTypicalTxs).
#
# Environment:
#   ROUNDS     rounds of the interleaved measurement (default 7)
#   BENCHTIME  thread CPU time per operation per round (default 200ms)
#   OUT        also write the table to this file
set -euo pipefail
cd "$(dirname "$0")/.."
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"

OUT="${OUT:-$(mktemp)}"
echo "# MEDEX_GAS_TABLE=1 MEDEX_GAS_ROUNDS=${ROUNDS:-7} MEDEX_GAS_BENCHTIME=${BENCHTIME:-200ms} go test -count=1 -run TestGasTable ./x/phr/types/" >&2
status=0
MEDEX_GAS_TABLE=1 MEDEX_GAS_ROUNDS="${ROUNDS:-7}" MEDEX_GAS_BENCHTIME="${BENCHTIME:-200ms}" MEDEX_GAS_TABLE_OUT="$OUT" \
	go test -count=1 -timeout 30m -run TestGasTable ./x/phr/types/ >/dev/null 2>&1 || status=$?
[ -s "$OUT" ] || { echo "gas-table: the measurement did not run" >&2; exit 1; }
cat "$OUT"
echo
echo "# go test -count=1 -run TestGasOfTypicalTxs -v ./x/phr/keeper/" >&2
go test -count=1 -run TestGasOfTypicalTxs -v ./x/phr/keeper/ | sed -n 's/^ *\(|.*\)$/\1/p'
exit "$status"
