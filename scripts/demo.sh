#!/usr/bin/env bash
# make demo-local: the single-chain story (docs/protocol.md) on a real
# single-validator node with real proxy processes, driven by config.yml.
# Every step is printed; the script exits non-zero at the first failure and
# always stops the proxies and the node.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WORK=$ROOT/.localnet/demo
PROXIES=$(cfg proxy_keys)
cleanup() {
  local p
  for p in $PROXIES; do stop_pidfile "$WORK/$p.pid" "proxy $p" >/dev/null; done
  bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

PATIENT=$(cfg patient_key); HOSPITAL=$(cfg hospital_key); GATEWAY=$(cfg gateway_key)
VAULT=$(cfg vault)

bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
bash "$ROOT/scripts/localnet.sh" init
bash "$ROOT/scripts/localnet.sh" start
story_init "$WORK"
TXF=("${STORY_TXF[@]}")
PATIENT_ADDR=$(addr "$PATIENT")

step "Everyone generates their keys; secrets stay in passphrase-encrypted files"
story_keygen
for p in $PROXIES; do proxy_keygen "$WORK/$p.key"; done

step "The admission authority admits the hospital and the proxies with their keys"
story_admit_hospital
for p in $PROXIES; do
  admit_member "$(addr "$p")" proxy "$WORK/$p.key.pub"
  info "proxy $p admitted"
done

step "The node's REST gateway and Prometheus metrics answer"
API="http://127.0.0.1:$(cfg api_port)"
members=$(curl -sf "$API/medexchain/phr/v1/members?role=ROLE_PROXY") \
  || die "GET $API/medexchain/phr/v1/members?role=ROLE_PROXY failed"
n=$(printf '%s' "$members" | grep -o '"ROLE_PROXY"' | wc -l)
[ "$n" -eq "$(echo $PROXIES | wc -w)" ] || die "REST lists $n proxies: $members"
info "GET $API/medexchain/phr/v1/members?role=ROLE_PROXY: $n proxies"
height=$(curl -sf "http://127.0.0.1:$(cfg metrics_port)/metrics" | sed -n 's/^cometbft_consensus_height{[^}]*} *//p' | head -n1)
[ -n "$height" ] || die "no cometbft_consensus_height at http://127.0.0.1:$(cfg metrics_port)/metrics"
info "CometBFT metrics on :$(cfg metrics_port): cometbft_consensus_height $height"
series=$(curl -sf "$API/metrics?format=prometheus" | grep -c '^# TYPE' || true)
[ "$series" -gt 0 ] || die "no app telemetry at $API/metrics?format=prometheus"
info "app telemetry at $API/metrics?format=prometheus: $series metric families"

step "Patient $PATIENT registers the vault, then the device behind gateway $GATEWAY"
story_register

step "The proxies start (medexchaind proxy run, one process each)"
for p in $PROXIES; do proxy_launch "$p" "$WORK/$p.key" "$WORK/$p.pid" "$WORK/$p.log"; done

step "The device takes $(cfg readings) readings; its gateway firewalls and uploads them"
story_upload "$(cfg readings)"

step "The hospital requests access to $PATIENT's '$VAULT' vault"
story_request 10

step "The patient grants it: fragments for the proxy committee, threshold $(cfg grant_threshold)"
story_grant "$GRANT"

step "The hospital fetches records $RECORDS: the chain opens re-encryption tasks"
story_fetch "$GRANT" $RECORDS
info "tasks: $(medex q phr pending-tasks "$(addr "$(echo $PROXIES | cut -d' ' -f1)")" --node "$RPC" -o json | grep -c '"record_id"' || true) open for the first proxy"

step "The proxies answer; the chain verifies, combines and stores the shares"
story_wait_shares "$GRANT" "$(echo $RECORDS | wc -w)" 60
for p in $PROXIES; do
  answered=$(medex q audit by-actor "$(addr "$p")" --node "$RPC" -o json | grep -c '"phr/answer-task"' || true)
  info "$p: $answered verified answers on chain"
done

step "The hospital decrypts each share and checks it against what the device produced"
story_decrypt "$GRANT" $RECORDS

step "The patient revokes the grant; a later fetch is refused"
send_tx phr revoke-access "$GRANT" --reason "consult finished" --from "$PATIENT" >/dev/null
info "grant $GRANT revoked"
story_upload 1 simulate2
LATE=$RECORDS
if out=$(send_tx phr fetch-records "$GRANT" "$LATE" --from "$HOSPITAL" 2>&1); then
  die "a fetch under the revoked grant went through"
fi
info "refused as expected: $(printf '%s' "$out" | tail -n1 | sed 's/^error: //; s/^Error: //')"
# every proxy deletes its fragment once it sees the grant REVOKED (it polls every second)
deleted() { local p n=0; for p in $PROXIES; do grep -q 'fragment deleted' "$WORK/$p.log" && n=$((n + 1)); done; echo "$n"; }
for _ in $(seq 1 20); do [ "$(deleted)" -eq "$(echo $PROXIES | wc -w)" ] && break; sleep 1; done
[ "$(deleted)" -eq "$(echo $PROXIES | wc -w)" ] || die "$(deleted) of the proxies ($PROXIES) deleted their fragment of grant $GRANT within 20 s"
info "every proxy ($PROXIES) deleted its fragment"

step "The patient rotates the vault key: new records use epoch 2, which no grant covers"
medex phr keygen vault --epoch 2 --out "$WORK/vault-2.key" >/dev/null
medex tx phr rotate-vault-key "$VAULT" "$WORK/vault-2.key.pub" --from "$PATIENT" "${TXF[@]}" | sed 's/^/    /'

step "The audit log of $PATIENT"
medex q audit by-patient "$PATIENT_ADDR" --node "$RPC" -o json \
  | tr -d '\n ' | grep -o '"sequence":"[0-9]*"\|"action":"[^"]*"\|"actor":"[^"]*"\|"object_id":"[^"]*"\|"outcome":"[^"]*"' \
  | sed 's/"\([a-z_]*\)":"\([^"]*\)"/\1=\2/' | paste -d' ' - - - - - | sed 's/^/    /'

step "An auditor verifies the whole hash chain"
medex q audit verify --node "$RPC" 2>/dev/null | sed 's/^/    /'

step "Demo complete: shared, decrypted, revoked, rotated and audited"
