#!/usr/bin/env bash
# The README's main command: a local chain that registers a patient with a
# vault key from the CLI and reads the patient and its audit entry back.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WORK=$ROOT/.localnet/demo
cleanup() { bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
bash "$ROOT/scripts/localnet.sh" init
bash "$ROOT/scripts/localnet.sh" start

rm -rf "$WORK" && mkdir -p "$WORK"
# A demo passphrase; real patients are prompted for theirs.
export MEDEXCHAIN_PASSPHRASE=demo-passphrase-not-for-real-use
ALICE=$(addr alice)

step "Patient alice generates the key pair of her 'vitals' vault (secret stays encrypted on disk)"
PUB=$(medex phr keygen vault --out "$WORK/alice-vitals.key")
info "public key A = $PUB"
info "secret key file $WORK/alice-vitals.key ($(head -c 34 "$WORK/alice-vitals.key"))"

step "alice registers as a patient with the vault key"
HASH=$(send_tx phr register-patient "vitals=@$WORK/alice-vitals.key.pub" --from alice)
info "tx $HASH committed"

step "Query the patient back from the chain"
medex q phr patient "$ALICE" --node "$RPC" | sed 's/^/    /'
STORED=$(medex q phr patient "$ALICE" --node "$RPC" --output json | grep -o '"public_key": *"[^"]*"' | cut -d'"' -f4 | base64 -d | od -An -tx1 | tr -d ' \n')
[ "$STORED" = "$PUB" ] || die "the stored vault key $STORED differs from the generated $PUB"
info "stored vault key matches the generated public key"

step "Query the patient's audit entries"
ENTRIES=$(medex q audit by-patient "$ALICE" --node "$RPC")
printf '%s\n' "$ENTRIES" | sed 's/^/    /'
printf '%s' "$ENTRIES" | grep -q "action: phr/register-patient" || die "no register-patient audit entry for $ALICE"

step "Verify the audit hash chain from genesis"
medex q audit verify --node "$RPC" 2>/dev/null | sed 's/^/    /'

step "Demo complete: patient registered, read back, audited and verified"
