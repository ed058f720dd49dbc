# xchain-story.sh — the steps of the two-chain story, sourced by
# scripts/demo-xchain.sh and scripts/bench-xchain.sh (after lib.sh). Each
# story_* function prints its steps; helpers act on the chain chosen with `on`.
# Set WORK (key files, readings, logs) before sourcing.

export LC_ALL=C
A_ID=$(cfg a_chain_id); B_ID=$(cfg b_chain_id)
PATIENT=$(cfg a_patient_key); GATEWAY=$(cfg a_gateway_key); PROXIES=$(cfg a_proxy_keys); THRESHOLD=$(cfg a_grant_threshold)
HOSPITAL=$(cfg b_hospital_key); B_PROXIES=$(cfg b_proxy_keys)
VAULT=$(cfg vault); DEVICE=$(cfg device_id)
PHR_PORT=phr PHR_VERSION=medexchain-phr-1
# A demo passphrase for every key file; real users are prompted for theirs.
export MEDEXCHAIN_PASSPHRASE=demo-passphrase-not-for-real-use

PROXY_PIDS=()
# story_cleanup stops every process the story started: proxies, relayer, nodes.
story_cleanup() {
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PROXY_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash "$ROOT/scripts/rly.sh" stop >/dev/null 2>&1 || true
  bash "$ROOT/scripts/xchain.sh" stop >/dev/null 2>&1 || true
}
trap story_cleanup EXIT
trap 'exit 130' INT TERM

# on a|b makes chain A or B the one medex, addr, send_tx and txf act on.
on() { use_chain "$1_"; }
# txf: flags of hand-written commands on the current chain (they wait for their block themselves)
txf() { echo --chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" --node "$RPC" --yes --fees "20000$DENOM"; }
rly() { bash "$ROOT/scripts/rly.sh" "$@"; }
# has_cmd WORDS...: this medexchaind has the subcommand (e.g. has_cmd tx phr admit-peer).
# Outputs are read whole before grep -q (an early exit would SIGPIPE the writer, which pipefail reports).
has_cmd() { local h; h=$(medex "${@:1:$#-1}" --help 2>/dev/null); grep -qE "^  ${!#}( |$)" <<<"$h"; }
need_cmd() { has_cmd "$@" || die "this medexchaind has no \`$*\`"; }
# qjson ARGS: a query on the current chain as one line of JSON, for grep
qjson() { medex q "$@" --node "$RPC" -o json 2>/dev/null | tr -d '\n '; }
indent() { sed 's/^/    /'; }

# story_network: rly built; both chains fresh; keys; members admitted on each
# chain; clients, peers, connection, the transfer and phr channels; rly started.
story_network() {
  step "Building the relayer (cached in .tools/)"
  rly build
  rly stop >/dev/null 2>&1 || true
  bash "$ROOT/scripts/xchain.sh" stop >/dev/null 2>&1 || true
  bash "$ROOT/scripts/xchain.sh" init
  bash "$ROOT/scripts/xchain.sh" start
  rm -rf "$WORK" && mkdir -p "$WORK/readings" "$WORK/decrypted"
  need_cmd tx phr admit-peer
  need_cmd tx phr request-remote-access
  need_cmd tx phr fetch-remote
  need_cmd phr decrypt-remote

  step "Two chains: A ($A_ID) holds the patient's vault, B ($B_ID) the hospital"
  local c power p
  for c in a b; do
    on $c
    power=$(medex status --node "$RPC" 2>/dev/null | tr -d '\n ' | sed -n 's/.*"voting_power":"\([0-9]*\)".*/\1/p')
    info "$CHAIN_ID: validator $(ccfg validator_moniker) $(medex keys show "$(ccfg validator_key)" --bech val -a --keyring-backend "$KEYRING"), voting power $power; block time $(ccfg timeout_commit); rpc $RPC"
  done
  on b
  HOSPITAL_ADDR=$(addr "$HOSPITAL")
  info "B: hospital account $HOSPITAL signs with a $(medex keys show "$HOSPITAL" --keyring-backend "$KEYRING" --output json | grep -o 'cosmos.crypto.[a-z0-9]*' | sed -n 1p | sed 's/cosmos.crypto.//') key; the relayer accounts are secp256k1"

  step "Everyone generates their keys; secrets stay in passphrase-encrypted files"
  on a
  PATIENT_ADDR=$(addr "$PATIENT")
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
  send_tx phr admit-member "$HOSPITAL_ADDR" hospital --public-key "$(cat "$WORK/$HOSPITAL.key.pub")" --from "$(ccfg admin_key)" >/dev/null
  info "B: hospital $HOSPITAL $HOSPITAL_ADDR admitted with its requester key B"
  for p in $B_PROXIES; do
    send_tx phr admit-member "$(addr "$p")" proxy --public-key "$(cat "$WORK/b-$p.key.pub")" --from "$(ccfg admin_key)" >/dev/null
  done
  info "B: proxies $B_PROXIES admitted (B's own committee)"

  rly init
  rly clients
  A_CLIENT=$(rly client-id src) # on A, of B
  B_CLIENT=$(rly client-id dst) # on B, of A

  step "Each authority admits the other chain as a peer over its light client (phr refuses channels from any other)"
  on a
  send_tx phr admit-peer "$A_CLIENT" "$B_ID" "hospital chain B" --from "$(ccfg admin_key)" >/dev/null
  info "A: peer $B_ID admitted over $A_CLIENT"
  on b
  send_tx phr admit-peer "$B_CLIENT" "$A_ID" "patient chain A" --from "$(ccfg admin_key)" >/dev/null
  info "B: peer $A_ID admitted over $B_CLIENT"

  rly connection
  rly channel transfer ics20-1
  rly channel "$PHR_PORT" "$PHR_VERSION"
  A_PHR=$(rly channel-id "$PHR_PORT" a_); B_PHR=$(rly channel-id "$PHR_PORT" b_)
  rly start
}

# story_transfer: one ICS-20 transfer A→B relayed by rly start, checked on B.
story_transfer() {
  step "The relayer proves itself with an ICS-20 transfer: $PATIENT on A sends 12345$DENOM to $HOSPITAL on B"
  on a
  send_tx ibc-transfer transfer transfer "$(rly channel-id transfer a_)" "$HOSPITAL_ADDR" "12345$DENOM" --from "$PATIENT" >/dev/null
  on b
  ibc_balance() { qjson bank balances "$HOSPITAL_ADDR" | grep -o '{"denom":"ibc/[^"]*","amount":"12345"}'; }
  wait_until 60 "12345$DENOM on B" ibc_balance
  info "B: $HOSPITAL holds $(ibc_balance | sed 's/{"denom":"\([^"]*\)","amount":"\([0-9]*\)"}/\2 \1/') (transfer/$(rly channel-id transfer b_)/$DENOM)"
}

# story_patient: the patient, the device and A's proxy processes.
story_patient() {
  on a
  step "Patient $PATIENT registers the vault on A, then the device behind gateway $GATEWAY"
  send_tx phr register-patient "$VAULT=@$WORK/$PATIENT-$VAULT.key.pub" --from "$PATIENT" >/dev/null
  info "patient $PATIENT_ADDR registered"
  medex tx phr register-device "$DEVICE" "$VAULT" "$WORK/$DEVICE.key.pub" "$(addr "$GATEWAY")" --from "$PATIENT" $(txf) | indent

  step "The proxies of A start (medexchaind proxy run, one process each)"
  local p
  for p in $PROXIES; do
    "$BIN" --home "$HOME_DIR" --log_no_color proxy run --from "$p" --proxy-key "$WORK/a-$p.key" $(txf) --poll-interval 1s \
      >"$WORK/a-$p.log" 2>&1 &
    PROXY_PIDS+=($!)
    info "$p: pid $!, log $WORK/a-$p.log"
  done
}

# upload N OUT: the device takes N readings on A (printed to stderr, output
# kept in WORK/OUT); prints the record ids.
upload() {
  on a
  medex device simulate --device-id "$DEVICE" --device-key "$WORK/$DEVICE.key" --count "$1" --interval 0s \
    --out-dir "$WORK/readings" --from "$GATEWAY" $(txf) >"$WORK/$2" || die "device simulate failed: $(tail -n1 "$WORK/$2")"
  grep '^record ' "$WORK/$2" | indent >&2
  sed -n 's/^record \([0-9]*\) .*/\1/p' "$WORK/$2" | paste -sd' '
}

# story_grant MAX_RECORDS: the hospital on B requests over the channel, A
# accepts, the patient grants on A, B mirrors the grant. Sets GRANT.
story_grant() {
  step "The hospital on B asks for access over the phr channel $B_PHR (an AccessRequest packet)"
  on b
  local out
  out=$(medex tx phr request-remote-access "$B_PHR" "$PATIENT_ADDR" "$VAULT" --from-time -24h --to-time 2h --max-records "$1" \
    --purpose "cardiology consult, second opinion" --expiry 48h --from "$HOSPITAL" $(txf) 2>&1) || die "request-remote-access: $out"
  REQUEST=$(printf '%s' "$out" | sed -n 's/.*remote request \([0-9]*\) sent.*/\1/p' | sed -n 1p)
  [ -n "$REQUEST" ] || die "no request id in: $out"
  info "B: $(printf '%s' "$out" | grep 'remote request' | sed -n 1p)"
  # accepted: A acked the request; a refusal or a timeout ends the story
  accepted() {
    local r
    r=$(qjson phr remote-request "$REQUEST")
    case "$r" in
      *'"status":"REMOTE_REQUEST_STATUS_ACCEPTED"'*) return 0 ;;
      *'"status":"REMOTE_REQUEST_STATUS_REFUSED"'* | *'"status":"REMOTE_REQUEST_STATUS_TIMED_OUT"'*)
        die "B: request $REQUEST $(printf '%s' "$r" | sed -n 's/.*"status":"REMOTE_REQUEST_STATUS_\([A-Z_]*\)".*/\1/p'): $(printf '%s' "$r" | sed -n 's/.*"error":"\([^"]*\)".*/\1/p')" ;;
    esac
    return 1
  }
  wait_until 90 "B: request $REQUEST accepted by A" accepted
  GRANT=$(qjson phr remote-request "$REQUEST" | sed -n 's/.*"grant_id":"\([0-9]*\)".*/\1/p')
  info "B: request $REQUEST acked by A with grant id $GRANT"
  on a
  info "A: grant $GRANT requested by $(qjson phr grant "$GRANT" | sed -n 's/.*"remote":{[^}]*"address":"\([^"]*\)".*/\1/p') on $B_ID over $A_CLIENT/$A_PHR"

  step "The patient grants it on A: fragments for A's proxy committee, threshold $THRESHOLD"
  medex phr grant "$GRANT" --vault-key "$WORK/$PATIENT-$VAULT.key" --threshold "$THRESHOLD" --from "$PATIENT" $(txf) | indent
  on b
  mirrored() { local g; g=$(qjson phr remote-grant "$B_CLIENT" "$GRANT"); grep -q '"status":"GRANT_STATUS_GRANTED"' <<<"$g"; }
  wait_until 90 "B: the GrantDecision for grant $GRANT" mirrored
  info "B: its mirror of grant $GRANT is GRANTED (vault key A, X and commitments from A's GrantDecision packet)"
}

# inbox_has RECORD: B's inbox holds a delivered share of RECORD under GRANT.
inbox_has() {
  on b
  local x
  x=$(qjson phr inbox-share "$B_CLIENT" "$GRANT" "$1")
  grep -q '"outcome":"SHARE_OUTCOME_DELIVERED"' <<<"$x"
}
# inbox_count: delivered shares of GRANT in B's inbox
inbox_count() { on b; qjson phr inbox "$B_CLIENT" "$GRANT" | grep -o '"outcome":"SHARE_OUTCOME_DELIVERED"' | wc -l; }

# fetch RECORDS...: the hospital on B fetches over the channel (a Fetch packet); prints the tx hash.
fetch() {
  on b
  send_tx phr fetch-remote "$B_CLIENT" "$GRANT" "$@" --from "$HOSPITAL"
}

# wait_shares SECONDS RECORDS...: until B's inbox holds every one.
wait_shares() {
  local secs=$1 r
  shift
  for r in "$@"; do wait_until "$secs" "B: the share of record $r" inbox_has "$r"; done
}

# decrypt RECORD: the hospital decrypts from B's state alone (B's node only)
# and compares with the device's reading; QUIET=1 prints nothing.
decrypt() {
  on b
  medex phr decrypt-remote "$B_CLIENT" "$GRANT" "$1" --requester-key "$WORK/$HOSPITAL.key" --node "$RPC" \
    --out "$WORK/decrypted/record-$1.json" >/dev/null
  cmp -s "$WORK/decrypted/record-$1.json" "$WORK/readings/record-$1.json" \
    || die "record $1: the FHIR decrypted on B differs from the device's"
  [ "${QUIET:-}" = 1 ] && return 0
  local loinc
  loinc=$(grep -o '"system":"http://loinc.org","code":"[^"]*","display":"[^"]*"' "$WORK/decrypted/record-$1.json" | sed -n 1p | sed 's/.*"code":"\([^"]*\)","display":"\([^"]*\)"/LOINC \1 (\2)/')
  info "record $1: $loinc, $(wc -c <"$WORK/decrypted/record-$1.json") bytes of FHIR, identical to the device's reading"
}
