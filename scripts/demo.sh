#!/usr/bin/env bash
# The README's main command: the local story (docs/protocol.md) on a real
# single-validator node with real proxy processes, driven by config.yml.
# Every step is printed; the script exits non-zero at the first failure and
# always stops the proxies and the node.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WORK=$ROOT/.localnet/demo
PROXY_PIDS=()
cleanup() {
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PROXY_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

PATIENT=$(cfg patient_key); HOSPITAL=$(cfg hospital_key); GATEWAY=$(cfg gateway_key)
PROXIES=$(cfg proxy_keys); THRESHOLD=$(cfg grant_threshold)
VAULT=$(cfg vault); DEVICE=$(cfg device_id); READINGS=$(cfg readings)
# hand-written commands print one line and wait for the block themselves
TXF=(--chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" --node "$RPC" --yes --fees "20000$DENOM")
# A demo passphrase for every key file; real users are prompted for theirs.
export MEDEXCHAIN_PASSPHRASE=demo-passphrase-not-for-real-use

bash "$ROOT/scripts/localnet.sh" stop >/dev/null 2>&1 || true
bash "$ROOT/scripts/localnet.sh" init
bash "$ROOT/scripts/localnet.sh" start
rm -rf "$WORK" && mkdir -p "$WORK/readings" "$WORK/decrypted"
PATIENT_ADDR=$(addr "$PATIENT")

step "Everyone generates their keys; secrets stay in passphrase-encrypted files"
medex phr keygen vault --out "$WORK/$PATIENT-$VAULT.key" >/dev/null
medex phr keygen device --out "$WORK/$DEVICE.key" >/dev/null
medex phr keygen requester --out "$WORK/$HOSPITAL.key" >/dev/null
for p in $PROXIES; do medex phr keygen proxy --out "$WORK/$p.key" >/dev/null; done
info "$PATIENT vault '$VAULT' A = $(cat "$WORK/$PATIENT-$VAULT.key.pub")"
info "$HOSPITAL requester B = $(cat "$WORK/$HOSPITAL.key.pub")"

step "The admission authority admits the hospital and the proxies with their keys"
send_tx phr admit-member "$(addr "$HOSPITAL")" hospital --public-key "$(cat "$WORK/$HOSPITAL.key.pub")" --from "$(cfg admin_key)" >/dev/null
info "hospital $HOSPITAL admitted"
for p in $PROXIES; do
  send_tx phr admit-member "$(addr "$p")" proxy --public-key "$(cat "$WORK/$p.key.pub")" --from "$(cfg admin_key)" >/dev/null
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
send_tx phr register-patient "$VAULT=@$WORK/$PATIENT-$VAULT.key.pub" --from "$PATIENT" >/dev/null
info "patient $PATIENT_ADDR registered"
medex tx phr register-device "$DEVICE" "$VAULT" "$WORK/$DEVICE.key.pub" "$(addr "$GATEWAY")" --from "$PATIENT" "${TXF[@]}" | sed 's/^/    /'

step "The proxies start (medexchaind proxy run, one process each)"
for p in $PROXIES; do
  "$BIN" --home "$HOME_DIR" --log_no_color proxy run --from "$p" --proxy-key "$WORK/$p.key" "${TXF[@]}" --poll-interval 1s \
    >"$WORK/$p.log" 2>&1 &
  PROXY_PIDS+=($!)
  info "$p: pid $!, log $WORK/$p.log"
done

step "The device takes $READINGS readings; its gateway firewalls and uploads them"
medex device simulate --device-id "$DEVICE" --device-key "$WORK/$DEVICE.key" --count "$READINGS" --interval 0s \
  --out-dir "$WORK/readings" --from "$GATEWAY" "${TXF[@]}" | tee "$WORK/simulate.out" | sed 's/^/    /'
RECORDS=$(sed -n 's/^record \([0-9]*\) .*/\1/p' "$WORK/simulate.out" | tr '\n' ' ')
[ -n "$RECORDS" ] || die "the simulator uploaded no record"

step "The hospital requests access to $PATIENT's '$VAULT' vault"
REQ=$(medex tx phr request-access "$PATIENT_ADDR" "$VAULT" --from-time -24h --to-time 1h --max-records 10 \
  --purpose "cardiology consult" --expiry 48h --from "$HOSPITAL" "${TXF[@]}")
info "$REQ"
GRANT=$(printf '%s' "$REQ" | sed -n 's/^grant \([0-9]*\) requested.*/\1/p')
[ -n "$GRANT" ] || die "no grant id in: $REQ"

step "The patient grants it: fragments for the proxy committee, threshold $THRESHOLD"
medex phr grant "$GRANT" --vault-key "$WORK/$PATIENT-$VAULT.key" --threshold "$THRESHOLD" --from "$PATIENT" "${TXF[@]}" | sed 's/^/    /'

step "The hospital fetches records $RECORDS: the chain opens re-encryption tasks"
send_tx phr fetch-records "$GRANT" $RECORDS --from "$HOSPITAL" >/dev/null
info "tasks: $(medex q phr pending-tasks "$(addr "$(echo $PROXIES | cut -d' ' -f1)")" --node "$RPC" -o json | grep -c '"record_id"' || true) open for the first proxy"

step "The proxies answer; the chain verifies, combines and stores the shares"
want=$(echo $RECORDS | wc -w)
for _ in $(seq 1 60); do
  done_shares=$(medex q phr shares "$GRANT" --node "$RPC" -o json | grep -c '"status": "SHARE_STATUS_COMPLETE"' || true)
  [ "$done_shares" -ge "$want" ] && break
  sleep 1
done
[ "$done_shares" -ge "$want" ] || die "only $done_shares of $want shares complete after 60 s (see $WORK/proxy*.log)"
info "$done_shares of $want shares complete"
for p in $PROXIES; do
  answered=$(medex q audit by-actor "$(addr "$p")" --node "$RPC" -o json | grep -c '"phr/answer-task"' || true)
  info "$p: $answered verified answers on chain"
done

step "The hospital decrypts each share and checks it against what the device produced"
for r in $RECORDS; do
  medex phr decrypt "$GRANT" "$r" --requester-key "$WORK/$HOSPITAL.key" --node "$RPC" --out "$WORK/decrypted/record-$r.json" >/dev/null
  cmp -s "$WORK/decrypted/record-$r.json" "$WORK/readings/record-$r.json" \
    || die "record $r: the decrypted FHIR differs from the device's"
  loinc=$(grep -o '"system":"http://loinc.org","code":"[^"]*","display":"[^"]*"' "$WORK/decrypted/record-$r.json" | head -n1 | sed 's/.*"code":"\([^"]*\)","display":"\([^"]*\)"/LOINC \1 (\2)/')
  info "record $r: $loinc, $(wc -c <"$WORK/decrypted/record-$r.json") bytes of FHIR, identical to the device's reading"
done

step "The patient revokes the grant; a later fetch is refused"
send_tx phr revoke-access "$GRANT" --reason "consult finished" --from "$PATIENT" >/dev/null
info "grant $GRANT revoked"
medex device simulate --device-id "$DEVICE" --device-key "$WORK/$DEVICE.key" --count 1 --interval 0s \
  --from "$GATEWAY" "${TXF[@]}" | tee "$WORK/simulate2.out" | sed 's/^/    /'
LATE=$(sed -n 's/^record \([0-9]*\) .*/\1/p' "$WORK/simulate2.out")
if out=$(send_tx phr fetch-records "$GRANT" "$LATE" --from "$HOSPITAL" 2>&1); then
  die "a fetch under the revoked grant went through"
fi
info "refused as expected: $(printf '%s' "$out" | tail -n1 | sed 's/^error: //; s/^Error: //')"
for _ in $(seq 1 10); do grep -q 'fragment deleted' "$WORK/"*.log && break; sleep 1; done
info "proxies that deleted their fragment: $(grep -l 'fragment deleted' "$WORK/"*.log | xargs -n1 basename | tr '\n' ' ')"

step "The patient rotates the vault key: new records use epoch 2, which no grant covers"
medex phr keygen vault --epoch 2 --out "$WORK/$PATIENT-$VAULT-2.key" >/dev/null
medex tx phr rotate-vault-key "$VAULT" "$WORK/$PATIENT-$VAULT-2.key.pub" --from "$PATIENT" "${TXF[@]}" | sed 's/^/    /'

step "The audit log of $PATIENT"
medex q audit by-patient "$PATIENT_ADDR" --node "$RPC" -o json \
  | tr -d '\n ' | grep -o '"sequence":"[0-9]*"\|"action":"[^"]*"\|"actor":"[^"]*"\|"object_id":"[^"]*"\|"outcome":"[^"]*"' \
  | sed 's/"\([a-z_]*\)":"\([^"]*\)"/\1=\2/' | paste -d' ' - - - - - | sed 's/^/    /'

step "An auditor verifies the whole hash chain"
medex q audit verify --node "$RPC" 2>/dev/null | sed 's/^/    /'

step "Demo complete: shared, decrypted, revoked, rotated and audited"
