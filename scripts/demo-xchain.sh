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
source "$ROOT/scripts/xchain-story.sh"
READINGS=$(cfg readings)

story_network
story_transfer
story_patient
step "The device takes $READINGS readings; its gateway firewalls and uploads them to A"
RECORDS=$(upload "$READINGS" simulate.out)
[ -n "$RECORDS" ] || die "the simulator uploaded no record"
story_grant 10

step "The hospital on B fetches records $RECORDS (a Fetch packet); A's proxies re-encrypt; A sends one Share per record"
fetch $RECORDS >/dev/null
info "B: fetch of records $RECORDS sent"
wait_shares 120 $RECORDS
info "B: $(inbox_count) shares of grant $GRANT in the inbox"

step "The hospital decrypts on B, from B's state alone (its requester key and B's node, no connection to A)"
for r in $RECORDS; do decrypt "$r"; done

# entries: the current chain's audit log as one line of JSON
entries() { qjson audit entries --page-limit 1000; }
# audit_lines: one line per entry of the current chain's audit log (admissions left out)
audit_lines() {
  entries | grep -o '"sequence":"[0-9]*"\|"action":"[^"]*"\|"object_id":"[^"]*"\|"outcome":"[^"]*"' \
    | sed 's/"\([a-z_]*\)":"\([^"]*\)"/\1=\2/' | paste -d' ' - - - - | grep -v 'action=phr/admit-member'
}
# entry_lines: one line of JSON per audit entry of the current chain
entry_lines() { entries | sed 's/{"sequence"/\n{"sequence"/g' | grep '^{"sequence"'; }
# field NAME: the first "NAME":"value" of a line of JSON on stdin
field() { grep -o "\"$1\":\"[^\"]*\"" | sed -n 1p | sed 's/.*:"\(.*\)"/\1/'; }
# describe LINE: "#sequence action object" of one entry line
describe() { echo "#$(field sequence <<<"$1") $(field action <<<"$1") $(field object_id <<<"$1")"; }
# hashes CHAIN: entry hashes of chain CHAIN; links CHAIN: the counterparty entry hashes its entries carry
hashes() { on "$1"; entries | grep -o '"hash":"[^"]*"' | sed 's/"hash":"\(.*\)"/\1/' | sort -u; }
links() { on "$1"; entries | grep -o '"entry_hash":"[^"]*"' | sed 's/"entry_hash":"\(.*\)"/\1/' | sort -u; }

# audits: both logs printed, both hash chains verified, and every receipt's
# counterparty hash found among the other chain's entries.
# settled: neither chain has a packet in flight (every receipt is in the logs)
settled() {
  local c x
  for c in a b; do on $c; x=$(qjson phr outbox --status in-flight); grep -q '"object_id"' <<<"$x" && return 1; done
  return 0
}
audits() {
  wait_until 60 "both outboxes without packets in flight" settled
  step "The audit logs of both chains"
  local c n hit
  for c in a b; do
    on $c
    info "$CHAIN_ID:"
    audit_lines | indent | indent
  done

  step "Auditors verify both hash chains and the receipts that link them"
  for c in a b; do on $c; info "$CHAIN_ID: $(medex q audit verify --node "$RPC" 2>/dev/null)"; done
  local l h
  for c in "a b" "b a"; do
    set -- $c
    # links first, then the other side's hashes: packets still flow, and an
    # entry exists before any packet or ack carries its hash
    l=$(links "$1")
    h=$(hashes "$2")
    n=$(grep -c . <<<"$l" || true)
    hit=$(comm -12 <(echo "$l") <(echo "$h") | grep -c . || true)
    [ "$n" -gt 0 ] || die "no entry of $(cfg "$1"_chain_id) names a counterparty entry hash"
    [ "$hit" -eq "$n" ] || die "$(cfg "$1"_chain_id): $((n - hit)) of $n counterparty hashes are no entry of $(cfg "$2"_chain_id)"
    info "$(cfg "$1"_chain_id): $n entries carry the hash of an entry of $(cfg "$2"_chain_id); all $hit are there"
  done
  local from to
  for c in "b a" "a b"; do
    set -- $c
    on "$1"
    from=$(entry_lines | grep '"entry_hash":"' | sed -n 1p)
    on "$2"
    to=$(entry_lines | grep -F "\"hash\":\"$(field entry_hash <<<"$from")\"" | sed -n 1p)
    info "e.g. $(cfg "$1"_chain_id) $(describe "$from") carries the hash of $(cfg "$2"_chain_id) $(describe "$to")"
  done
}
audits

# outbox_status OBJECT: status of A's newest outbox entry about OBJECT (e.g. grant/1/record/4)
outbox_status() {
  on a
  qjson phr outbox | grep -o "\"object_id\":\"$1\"[^{}]*\"status\":\"[A-Z_]*\"" | tail -n1 | sed 's/.*"status":"\([A-Z_]*\)"/\1/'
}
# fetch_arrived RECORD: A's audit log holds the Fetch of RECORD under GRANT
fetch_arrived() { on a; local l; l=$(audit_lines); grep -q "action=phr/ibc-recv-fetch object_id=grant/$GRANT/record/$1 " <<<"$l"; }

fault_relayer() {
  local t r obj
  t=$(cfg a_phr_ibc_timeout_seconds)
  step "Fault 1: the relayer stops during a fetch; A's Share times out after ${t}s"
  r=$(upload 1 simulate-f1.out)
  r=${r// /}
  obj=grant/$GRANT/record/$r
  # A's proxies pause so that A sends the Share only once the relayer is down.
  local pid
  for pid in "${PROXY_PIDS[@]}"; do kill -STOP "$pid"; done
  info "A's proxies paused (SIGSTOP)"
  fetch "$r" >/dev/null
  info "B: fetch of record $r sent"
  wait_until 60 "A: the Fetch of record $r" fetch_arrived "$r"
  info "A: the Fetch of record $r arrived; re-encryption tasks are open"
  rly stop
  for pid in "${PROXY_PIDS[@]}"; do kill -CONT "$pid"; done
  info "A's proxies resumed (SIGCONT)"
  in_flight() { [ "$(outbox_status "$obj")" = OUTBOX_STATUS_IN_FLIGHT ]; }
  wait_until 60 "A: the Share of record $r sent" in_flight
  info "A: Share $obj sent; nobody relays it; waiting ${t}s for its timeout"
  sleep "$((t + 5))"
  inbox_has "$r" && die "B holds the share of record $r although nothing relayed it"
  rly start
  timed_out() { [ "$(outbox_status "$obj")" = OUTBOX_STATUS_TIMED_OUT ]; }
  wait_until 90 "A: the timeout of Share $obj" timed_out
  info "A: the relayer proved the timeout; outbox entry $obj is $(outbox_status "$obj")"
  on a
  audit_lines | grep -i timeout | grep "$obj" | indent || die "A's audit log has no timeout entry for $obj"
  step "The hospital fetches record $r again: A sends the Share again (fetch is idempotent)"
  fetch "$r" >/dev/null
  wait_shares 90 "$r"
  decrypt "$r"
}

fault_node_b() {
  local r before h
  step "Fault 2: chain B's node is killed (SIGKILL) mid-flow and restarted; nothing is lost"
  r=$(upload 1 simulate-f2.out)
  r=${r// /}
  before=$(inbox_count)
  fetch "$r" >/dev/null
  info "B: fetch of record $r sent"
  wait_until 60 "A: the Fetch of record $r" fetch_arrived "$r"
  info "A: the Fetch of record $r arrived; re-encryption tasks are open"
  on b
  h=$(node_height)
  bash "$ROOT/scripts/xchain.sh" kill-one b
  info "B killed at height $h while A's proxies answer and A sends the Share"
  sleep 8
  bash "$ROOT/scripts/xchain.sh" start-one b
  wait_shares 90 "$r"
  [ "$(inbox_count)" -eq "$((before + 1))" ] || die "B's inbox holds $(inbox_count) shares, $before before the crash plus 1 expected"
  info "B: back at height $(node_height); the share of record $r arrived; all $((before + 1)) shares still there"
  decrypt "$r"
  rly status | indent
}

if [ "$FAULTS" = 1 ]; then
  fault_relayer
  fault_node_b
  audits
fi

step "Demo complete: two chains, one relayer; requested on B, granted on A, shared to B, decrypted on B, audited on both"
