#!/usr/bin/env bash
# `make demo`: the cross-chain story (docs/protocol.md) on two real chains
# (scripts/xchain.sh) joined by a real relayer (scripts/rly.sh), with real
# proxy processes on the patient's chain, driven by config.yml.
#   scripts/demo-xchain.sh            the story
#   scripts/demo-xchain.sh --faults   the story, then its faults: the relayer
#                                     stopped during a fetch (the Share times
#                                     out, a second fetch delivers it) and
#                                     chain B's node killed mid-flow
# Every step is printed; the script exits non-zero at the first failure and
# always stops the proxies, the relayer and both nodes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FAULTS=0
case "${1:-}" in
  "") ;;
  --faults) FAULTS=1 ;;
  *) echo "usage: $0 [--faults]" >&2; exit 2 ;;
esac

WORK=$ROOT/.xchain/demo
PROXY_PIDS=()
cleanup() {
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PROXY_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash "$ROOT/scripts/rly.sh" stop >/dev/null 2>&1 || true
  bash "$ROOT/scripts/xchain.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

A_ID=$(cfg a_chain_id); B_ID=$(cfg b_chain_id)
PATIENT=$(cfg a_patient_key); GATEWAY=$(cfg a_gateway_key); PROXIES=$(cfg a_proxy_keys); THRESHOLD=$(cfg a_grant_threshold)
HOSPITAL=$(cfg b_hospital_key); B_PROXIES=$(cfg b_proxy_keys)
VAULT=$(cfg vault); DEVICE=$(cfg device_id); READINGS=$(cfg readings)
PHR_PORT=phr PHR_VERSION=medexchain-phr-1
# A demo passphrase for every key file; real users are prompted for theirs.
export MEDEXCHAIN_PASSPHRASE=demo-passphrase-not-for-real-use

# on a|b makes chain A or B the one medex, addr, send_tx and txf act on.
on() { use_chain "$1_"; }
# txf: flags of hand-written commands on the current chain (they wait for their block themselves)
txf() { echo --chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" --node "$RPC" --yes --fees "20000$DENOM"; }
rly() { bash "$ROOT/scripts/rly.sh" "$@"; }
# has_cmd WORDS...: this medexchaind has the subcommand (e.g. has_cmd tx phr admit-peer)
has_cmd() { medex "${@:1:$#-1}" --help 2>/dev/null | grep -qE "^  ${!#}( |$)"; }
need_cmd() { has_cmd "$@" || die "this medexchaind has no \`$*\` (the cross-chain CLI has not landed on this build)"; }
# flat JSON of a query, for grep
qjson() { medex q "$@" --node "$RPC" -o json 2>/dev/null | tr -d '\n '; }
indent() { sed 's/^/    /'; }

step "Building the relayer (cached in .tools/)"
rly build

bash "$ROOT/scripts/rly.sh" stop >/dev/null 2>&1 || true
bash "$ROOT/scripts/xchain.sh" stop >/dev/null 2>&1 || true
bash "$ROOT/scripts/xchain.sh" init
bash "$ROOT/scripts/xchain.sh" start
rm -rf "$WORK" && mkdir -p "$WORK/readings" "$WORK/decrypted"

step "Two chains: A ($A_ID) holds the patient's vault, B ($B_ID) the hospital"
for c in a b; do
  on $c
  power=$(medex status --node "$RPC" 2>/dev/null | tr -d '\n ' | sed -n 's/.*"voting_power":"\([0-9]*\)".*/\1/p')
  info "$CHAIN_ID: validator $(ccfg validator_moniker) $(medex keys show "$(ccfg validator_key)" --bech val -a --keyring-backend "$KEYRING"), voting power $power; block time $(ccfg timeout_commit); rpc $RPC"
done
on b
info "B: hospital account $HOSPITAL signs with a $(medex keys show "$HOSPITAL" --keyring-backend "$KEYRING" --output json | grep -o 'cosmos.crypto.[a-z0-9]*' | head -n1 | sed 's/cosmos.crypto.//') key; the relayer accounts are secp256k1"

step "Everyone generates their keys; secrets stay in passphrase-encrypted files"
on a
medex phr keygen vault --out "$WORK/$PATIENT-$VAULT.key" >/dev/null
medex phr keygen device --out "$WORK/$DEVICE.key" >/dev/null
for p in $PROXIES; do medex phr keygen proxy --out "$WORK/a-$p.key" >/dev/null; done
on b
medex phr keygen requester --out "$WORK/$HOSPITAL.key" >/dev/null
for p in $B_PROXIES; do medex phr keygen proxy --out "$WORK/b-$p.key" >/dev/null; done
info "A: $PATIENT vault '$VAULT' key A = $(cat "$WORK/$PATIENT-$VAULT.key.pub")"
info "B: $HOSPITAL requester key B = $(cat "$WORK/$HOSPITAL.key.pub")"

step "Each chain's admission authority admits its members"
on a
for p in $PROXIES; do
  send_tx phr admit-member "$(addr "$p")" proxy --public-key "$(cat "$WORK/a-$p.key.pub")" --from "$(ccfg admin_key)" >/dev/null
done
info "A: proxies $PROXIES admitted"
on b
send_tx phr admit-member "$(addr "$HOSPITAL")" hospital --public-key "$(cat "$WORK/$HOSPITAL.key.pub")" --from "$(ccfg admin_key)" >/dev/null
info "B: hospital $HOSPITAL $(addr "$HOSPITAL") admitted with its requester key B"
for p in $B_PROXIES; do
  send_tx phr admit-member "$(addr "$p")" proxy --public-key "$(cat "$WORK/b-$p.key.pub")" --from "$(ccfg admin_key)" >/dev/null
done
info "B: proxies $B_PROXIES admitted (B's own committee)"

rly init
rly clients
A_CLIENT=$(rly client-id src) # on A, of B
B_CLIENT=$(rly client-id dst) # on B, of A

step "Each authority admits the other chain as a peer over its light client"
on a
if has_cmd tx phr admit-peer; then
  send_tx phr admit-peer "$A_CLIENT" "$B_ID" "hospital chain B" --from "$(ccfg admin_key)" >/dev/null
  info "A: peer $B_ID admitted over $A_CLIENT"
  on b
  send_tx phr admit-peer "$B_CLIENT" "$A_ID" "patient chain A" --from "$(ccfg admin_key)" >/dev/null
  info "B: peer $A_ID admitted over $B_CLIENT"
else
  info "this medexchaind has no \`tx phr admit-peer\` yet"
fi

rly connection
rly channel transfer ics20-1
on b
if has_cmd tx phr request-remote-access; then
  rly channel "$PHR_PORT" "$PHR_VERSION"
  A_PHR=$(rly channel-id "$PHR_PORT" a_); B_PHR=$(rly channel-id "$PHR_PORT" b_)
fi
rly start

step "The relayer proves itself with an ICS-20 transfer: $PATIENT on A sends 12345$DENOM to $HOSPITAL on B"
on b; HOSPITAL_ADDR=$(addr "$HOSPITAL")
on a
A_TRANSFER=$(rly channel-id transfer a_)
send_tx ibc-transfer transfer transfer "$A_TRANSFER" "$HOSPITAL_ADDR" "12345$DENOM" --from "$PATIENT" >/dev/null
on b
ibc_balance() { qjson bank balances "$HOSPITAL_ADDR" | grep -o '{"denom":"ibc/[^"]*","amount":"[0-9]*"}'; }
wait_until 60 "12345$DENOM on B" ibc_balance
info "B: $HOSPITAL holds $(ibc_balance | sed 's/{"denom":"\([^"]*\)","amount":"\([0-9]*\)"}/\2 \1/') (transfer/$(rly channel-id transfer b_)/$DENOM)"

on a
PATIENT_ADDR=$(addr "$PATIENT")
step "Patient $PATIENT registers the vault on A, then the device behind gateway $GATEWAY"
send_tx phr register-patient "$VAULT=@$WORK/$PATIENT-$VAULT.key.pub" --from "$PATIENT" >/dev/null
info "patient $PATIENT_ADDR registered"
medex tx phr register-device "$DEVICE" "$VAULT" "$WORK/$DEVICE.key.pub" "$(addr "$GATEWAY")" --from "$PATIENT" $(txf) | indent

step "The proxies of A start (medexchaind proxy run, one process each)"
for p in $PROXIES; do
  "$BIN" --home "$HOME_DIR" --log_no_color proxy run --from "$p" --proxy-key "$WORK/a-$p.key" $(txf) --poll-interval 1s \
    >"$WORK/a-$p.log" 2>&1 &
  PROXY_PIDS+=($!)
  info "$p: pid $!, log $WORK/a-$p.log"
done

# upload N OUT: the device takes N readings on A; prints the record ids.
upload() {
  on a
  medex device simulate --device-id "$DEVICE" --device-key "$WORK/$DEVICE.key" --count "$1" --interval 0s \
    --out-dir "$WORK/readings" --from "$GATEWAY" $(txf) >"$WORK/$2" || die "device simulate failed: $(tail -n1 "$WORK/$2")"
  indent <"$WORK/$2" >&2
  sed -n 's/^record \([0-9]*\) .*/\1/p' "$WORK/$2" | tr '\n' ' '
}
step "The device takes $READINGS readings; its gateway firewalls and uploads them to A"
RECORDS=$(upload "$READINGS" simulate.out)
[ -n "$RECORDS" ] || die "the simulator uploaded no record"

need_cmd tx phr request-remote-access
need_cmd tx phr fetch-remote

# rfc3339 OFFSET: UTC time OFFSET from now (e.g. "-24 hours")
rfc3339() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
step "The hospital on B asks for access over the phr channel $B_PHR (an AccessRequest packet)"
on b
send_tx phr request-remote-access --channel-id "$B_PHR" --patient "$PATIENT_ADDR" --vault "$VAULT" \
  --scope "{\"from_time\":\"$(rfc3339 '-24 hours')\",\"to_time\":\"$(rfc3339 '+1 hour')\",\"max_records\":10}" \
  --purpose "cardiology consult, second opinion" --expiry "$(rfc3339 '+48 hours')" --from "$HOSPITAL" >/dev/null
REQUEST=$(qjson phr remote-requests-by-hospital --hospital "$HOSPITAL_ADDR" | grep -o '"id":"[0-9]*"' | tail -n1 | grep -o '[0-9]*')
[ -n "$REQUEST" ] || die "B lists no remote request of $HOSPITAL"
info "B: remote request $REQUEST queued in B's outbox and sent"
accepted() { qjson phr remote-request --id "$REQUEST" | grep -q '"status":"REMOTE_REQUEST_STATUS_ACCEPTED"'; }
wait_until 90 "B: request $REQUEST accepted by A" accepted
GRANT=$(qjson phr remote-request --id "$REQUEST" | sed -n 's/.*"grant_id":"\([0-9]*\)".*/\1/p')
info "B: request $REQUEST acked by A with grant id $GRANT"
on a
info "A: grant $GRANT requested by $(qjson phr grant "$GRANT" | sed -n 's/.*"remote":{[^}]*"address":"\([^"]*\)".*/\1/p') on $B_ID over $A_CLIENT/$A_PHR"

step "The patient grants it on A: fragments for A's proxy committee, threshold $THRESHOLD"
medex phr grant "$GRANT" --vault-key "$WORK/$PATIENT-$VAULT.key" --threshold "$THRESHOLD" --from "$PATIENT" $(txf) | indent
on b
mirrored() { qjson phr remote-grant --client-id "$B_CLIENT" --grant-id "$GRANT" | grep -q '"status":"GRANT_STATUS_GRANTED"'; }
wait_until 90 "B: the GrantDecision for grant $GRANT" mirrored
info "B: its mirror of grant $GRANT is GRANTED (vault key A, X and commitments from A's GrantDecision packet)"

# inbox_count GRANT: shares of GRANT delivered to B's inbox
inbox_count() { qjson phr inbox --client-id "$B_CLIENT" --grant-id "$1" | grep -o '"outcome":"SHARE_OUTCOME_DELIVERED"' | wc -l; }
# fetch RECORDS...: the hospital fetches over the channel; waits until they are in B's inbox.
fetch() {
  on b
  send_tx phr fetch-remote --client-id "$B_CLIENT" --grant-id "$GRANT" --record-ids "$(echo "$@" | tr ' ' ,)" --from "$HOSPITAL" >/dev/null
  info "B: fetch of records $* sent"
}
# decrypt RECORD: the hospital decrypts from B's state alone (B's node only) and compares with the device's reading.
decrypt() {
  on b
  medex phr decrypt "$GRANT" "$1" --remote-client "$B_CLIENT" --requester-key "$WORK/$HOSPITAL.key" --node "$RPC" \
    --out "$WORK/decrypted/record-$1.json" >/dev/null
  cmp -s "$WORK/decrypted/record-$1.json" "$WORK/readings/record-$1.json" \
    || die "record $1: the FHIR decrypted on B differs from the device's"
  local loinc
  loinc=$(grep -o '"system":"http://loinc.org","code":"[^"]*","display":"[^"]*"' "$WORK/decrypted/record-$1.json" | head -n1 | sed 's/.*"code":"\([^"]*\)","display":"\([^"]*\)"/LOINC \1 (\2)/')
  info "record $1: $loinc, $(wc -c <"$WORK/decrypted/record-$1.json") bytes of FHIR, identical to the device's reading"
}

step "The hospital on B fetches records $RECORDS (a Fetch packet); A's proxies re-encrypt; A sends one Share per record"
WANT=$(echo $RECORDS | wc -w)
fetch $RECORDS
delivered() { [ "$(inbox_count "$GRANT")" -ge "$WANT" ]; }
wait_until 120 "B: $WANT shares in the inbox" delivered
info "B: $(inbox_count "$GRANT") shares of grant $GRANT in the inbox"

step "The hospital decrypts on B, from B's state alone (no connection to A)"
for r in $RECORDS; do decrypt "$r"; done

# audit_lines: the current chain's audit log, one line per entry
audit_lines() {
  qjson audit entries --page-limit 1000 | grep -o '"sequence":"[0-9]*"\|"action":"[^"]*"\|"object_id":"[^"]*"\|"outcome":"[^"]*"' \
    | sed 's/"\([a-z_]*\)":"\([^"]*\)"/\1=\2/' | paste -d' ' - - - -
}
step "The audit logs of both chains"
for c in a b; do
  on $c
  info "$CHAIN_ID:"
  audit_lines | grep -v 'action=phr/admit-member' | indent | indent
done

step "Auditors verify both hash chains and the receipts that link them"
for c in a b; do on $c; info "$CHAIN_ID: $(medex q audit verify --node "$RPC" 2>/dev/null)"; done
# hashes CHAIN: entry hashes of chain CHAIN; links CHAIN: counterparty entry hashes its entries carry
hashes() { on "$1"; qjson audit entries --page-limit 1000 | grep -o '"hash":"[^"]*"' | sed 's/"hash":"\(.*\)"/\1/' | sort -u; }
links() { on "$1"; qjson audit entries --page-limit 1000 | grep -o '"entry_hash":"[^"]*"' | sed 's/"entry_hash":"\(.*\)"/\1/' | sort -u; }
for pair in "a b" "b a"; do
  set -- $pair
  n=$(links "$1" | wc -l)
  hit=$(comm -12 <(links "$1") <(hashes "$2") | wc -l)
  [ "$n" -gt 0 ] || die "no entry of $(cfg "$1"_chain_id) names a counterparty entry hash"
  [ "$hit" -eq "$n" ] || die "$(cfg "$1"_chain_id): $((n - hit)) of $n counterparty hashes are no entry of $(cfg "$2"_chain_id)"
  info "$(cfg "$1"_chain_id): $n entries carry the hash of an entry of $(cfg "$2"_chain_id); all $hit found there"
done

if [ "$FAULTS" = 1 ]; then
  source "$ROOT/scripts/demo-xchain-faults.sh"
fi

step "Demo complete: two chains, one relayer; requested on B, granted on A, shared to B, decrypted on B, audited on both"
