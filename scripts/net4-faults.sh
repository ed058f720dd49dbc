#!/usr/bin/env bash
# Faults on the four-validator network of scripts/net4.sh, with its four proxy
# daemons (one per validator, threshold 2 of 4) and the story's cast (patient,
# device behind a gateway, hospital) on it. Fresh homes each run; every node
# and proxy is stopped at the end, also on failure.
#   scripts/net4-faults.sh one-down         kill -9 validator 4: blocks keep coming (3 of 4 is more
#                                           than 2/3) and a fetch made meanwhile completes and is
#                                           decrypted; restarted, it catches up; app hashes agree
#   scripts/net4-faults.sh two-down         kill -9 validators 3 and 4 while the gateway uploads: the
#                                           chain halts without forking; restarted, it resumes and
#                                           every upload acknowledged before the halt is on chain
#   scripts/net4-faults.sh byzantine-proxy  proxy 4 replaced by tests/faults/byzproxy (answers
#                                           tampered before signing): its answers do not count, the
#                                           share completes from the honest proxies
#   scripts/net4-faults.sh silent-proxy     proxies 3 and 4 stopped (SIGSTOP): shares complete
#                                           from the other two (t = 2)
#   scripts/net4-faults.sh short            one-down and byzantine-proxy (CI)
#   scripts/net4-faults.sh all              every case, one after the other on the same network
# Exits non-zero when a figure is not as expected. Prints `name value unit`
# figures (heights, seconds, counts), each case's duration among them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/net4.sh"

FIRST=${VALS%% *}
BYZPROXY=${BYZPROXY:-$ROOT/build/byzproxy}

# figure NAME VALUE UNIT prints one figure line.
figure() { printf '%s %s %s\n' "$1" "$2" "$3"; }

# height_of N prints validator N's latest height (empty if it does not answer).
height_of() { val "$1"; node_height || true; }

# now_ms prints the wall clock in milliseconds; secs_since MS the seconds since then.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs_since() { local d=$(($(now_ms) - $1)); printf '%d.%03d' $((d / 1000)) $((d % 1000)); }

# app_hash N H prints header.app_hash of block H as validator N serves it.
app_hash() {
  val "$1"
  curl -s "http://127.0.0.1:$(ccfg rpc_port)/block?height=$2" | grep -o '"app_hash":"[0-9A-F]*"' | head -n1 | cut -d'"' -f4 || true
}

# compare_app_hashes H fails unless the four validators report one app hash at H.
compare_app_hashes() {
  local n h first="" bad=0
  for n in $VALS; do
    h=$(app_hash "$n" "$1")
    info "height $1 val$n app_hash ${h:-<none>}"
    [ -n "$h" ] || bad=1
    [ -z "$first" ] && first=$h
    [ "$h" = "$first" ] || bad=1
  done
  [ "$bad" = 0 ] || die "app hashes differ (or are missing) at height $1"
  info "the four app hashes agree at height $1"
}

# wait_height N H SECS waits until validator N is at height H or more; dies after SECS.
wait_height() {
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    local h
    h=$(height_of "$1")
    if [ -n "$h" ] && [ "$h" -ge "$2" ]; then return 0; fi
    sleep 0.2
  done
  die "val$1 not at height $2 after $3 s (at ${h:-?})"
}

# min_height prints the lowest latest height among the four.
min_height() {
  local n h m=""
  for n in $VALS; do h=$(height_of "$n"); [ -n "$h" ] || h=0; if [ -z "$m" ] || [ "$h" -lt "$m" ]; then m=$h; fi; done
  echo "$m"
}

# catch_up N...: restart validators N... and wait until each is at the height
# validator 1 had when they restarted; print the seconds.
catch_up() {
  local n target t0
  target=$(height_of 1)
  t0=$(now_ms)
  for n in "$@"; do net4_restart "$n"; done
  for n in "$@"; do
    wait_height "$n" "$target" 120
    info "val$n caught up to height $target in $(secs_since "$t0") s after its restart (now at $(height_of "$n"))"
  done
}

# cast CMD... runs a story step (scripts/lib.sh) as validator 1's home, where the
# patient, the hospital and the gateway keys are, through validator 1's node.
cast() { val "$FIRST"; "$@"; }

# story_setup: keys, the hospital admitted, the patient and the device
# registered, one request granted to the four proxies (GRANT). SHARES counts the
# shares of GRANT the cases have completed.
story_setup() {
  step "The story's cast on the net: patient, device behind its gateway, hospital; a 2-of-4 grant"
  cast story_init "$ROOT/$(cfg net4_v${FIRST}_home)/story"
  cast story_keygen
  cast story_admit_hospital
  cast story_register
  cast story_request 50
  cast story_grant "$GRANT"
  SHARES=0
}

# share_one NAME SECS: the device uploads one reading, the hospital fetches it
# under GRANT, the proxies that run answer; waits (up to SECS) until its share
# is complete and the hospital has decrypted it. Prints NAME_share_seconds
# (fetch committed to share complete) and sets RECORD.
share_one() {
  local t0
  cast story_upload 1 "$1"
  RECORD=${RECORDS%% *}
  cast story_fetch "$GRANT" "$RECORD"
  t0=$(now_ms)
  SHARES=$((SHARES + 1))
  cast story_wait_shares "$GRANT" "$SHARES" "$2"
  figure "$1_share_seconds" "$(secs_since "$t0")" s
  cast story_decrypt "$GRANT" "$RECORD"
}

# audit_of_actor ADDRESS prints every audit entry of ADDRESS as validator 1
# serves them (all pages, JSON without blanks or newlines).
audit_of_actor() {
  local off=0 page n
  val "$FIRST"
  while :; do
    page=$(medex q audit by-actor "$1" --node "$RPC" -o json --page-limit 200 --page-offset "$off" | tr -d '\n ')
    printf '%s' "$page"
    n=$(printf '%s' "$page" | grep -o '"sequence":' | wc -l || true)
    [ "$n" -ge 200 ] || break
    off=$((off + n))
  done
}

# answers_of N prints how many answers proxy N has on chain (its audit entries
# of action phr/answer-task).
answers_of() { audit_of_actor "$(proxy_address_of "$1")" | grep -o '"phr/answer-task"' | wc -l || true; }

# proxy_address_of N prints the account of validator N's proxy.
proxy_address_of() { val "$1"; addr "$(ccfg proxy_key)"; }

# answers_all prints each proxy's answer count, in validator order.
answers_all() { local n; for n in $VALS; do answers_of "$n"; done | paste -sd' '; }

# answer_figures NAME BEFORE... prints NAME_answers_proxyN, the answers of each
# proxy since answers_all printed BEFORE, and sets SILENT to the proxies that
# gave none.
answer_figures() {
  local name=$1 n d i=0 now
  shift
  read -r -a now <<<"$(answers_all)"
  SILENT=""
  for n in $VALS; do
    d=$((now[i] - $1))
    i=$((i + 1))
    shift
    figure "${name}_answers_proxy$n" "$d" answers
    [ "$d" -gt 0 ] || SILENT+="${SILENT:+ }$n"
  done
}

# signal_proxy SIG N... sends SIG to the proxy daemons of validators N...
signal_proxy() {
  local sig=$1 n
  shift
  for n in "$@"; do proxy_running "$n" || die "proxy of val$n is not running"; kill "-$sig" "$(cat "$PROXY_PIDFILE")"; done
}

# case_run NAME FUNC: runs one case and prints its duration.
case_run() {
  local t0
  t0=$(now_ms)
  "$2"
  figure "case_$1_seconds" "$(secs_since "$t0")" s
}

one_down() {
  step "Fault: one validator of four down (val4, SIGKILL); a fetch made meanwhile completes"
  local h0 h1 t0 before
  wait_height 1 5 60
  h0=$(height_of 1)
  before=$(answers_all)
  val 4; node_kill
  info "val4 killed at height $h0 (its proxy keeps running, its node is gone)"
  t0=$(now_ms)
  share_one one_down 60
  answer_figures one_down $before
  [[ " $SILENT " == *" 4 "* ]] || die "proxy 4 answered while its node was down"
  wait_height 1 $((h0 + 5)) 30
  h1=$(height_of 1)
  info "without val4: height $h0 -> $h1 in $(secs_since "$t0") s (three of four sign)"
  figure one_down_blocks_without_val4 $((h1 - h0)) blocks
  catch_up 4
  wait_height 4 $(($(height_of 4) + 1)) 10
  compare_app_hashes $((h0 + 2))
  compare_app_hashes "$(min_height)"
}

# block_hashes_agree FROM TO fails unless, for every height in FROM..TO, every
# node that serves it reports one block hash (CometBFT /blockchain, 20 blocks a
# page). Prints how many (height, node) pairs were compared.
block_hashes_agree() {
  local n lo pairs="" h hash seen
  for n in $VALS; do
    for ((lo = $1; lo <= $2; lo += 20)); do
      val "$n"
      pairs+=$(curl -s "http://127.0.0.1:$(ccfg rpc_port)/blockchain?minHeight=$lo&maxHeight=$((lo + 19 < $2 ? lo + 19 : $2))" \
        | tr -d ' \n' | grep -o '"block_id":{"hash":"[0-9A-F]*"\|"height":"[0-9]*"' | sed 's/.*"\([0-9A-F]*\)"$/\1/' | paste -d' ' - - \
        | awk '{ print $2, $1 }' || true)$'\n'
    done
  done
  seen=$(printf '%s' "$pairs" | grep -c . || true)
  [ "$seen" -gt 0 ] || die "no block metas from the nodes for heights $1..$2"
  local forks
  forks=$(printf '%s' "$pairs" | grep . | sort -u | awk '{ c[$1]++ } END { for (h in c) if (c[h] > 1) print h }')
  [ -z "$forks" ] || die "two different block hashes at height(s): $forks"
  info "one block hash per height $1..$2 on every node ($seen height/node pairs)"
  figure two_down_block_hashes_compared "$seen" pairs
}

# acked FILE prints the record ids the gateway reported committed in FILE;
# acked_more FILE N succeeds when there are more than N.
acked() { sed -n 's/^record \([0-9]*\) .*/\1/p' "$1"; }
acked_more() { [ "$(acked "$1" | wc -l)" -gt "$2" ]; }

two_down() {
  step "Fault: two validators of four down (val3 and val4, SIGKILL) while the gateway uploads"
  local h0 h1 h2 burst before during id hash n missing=0 audit
  wait_height 1 $(($(height_of 1) + 2)) 30
  burst=$STORY/burst.out
  # One reading a block; the gateway acknowledges a record once its tx is committed.
  val "$FIRST"
  # $BIN, not medex: BURST_PID must be the simulator's own pid.
  "$BIN" --home "$HOME_DIR" device simulate --device-id "$(ccfg device_id)" --device-key "$STORY/device.key" --count 1000 --interval 500ms \
    --from "$(ccfg gateway_key)" "${STORY_TXF[@]}" >"$burst" 2>&1 &
  BURST_PID=$!
  wait_until 60 "three uploads acknowledged" acked_more "$burst" 2
  val 3; node_kill
  val 4; node_kill
  # A block already being committed may still land: settle, then watch.
  sleep 3
  h0=$(height_of 1)
  before=$(acked "$burst" | wc -l)
  info "val3 and val4 killed; height $h0; $before uploads acknowledged"
  sleep 10
  h1=$(height_of 1)
  [ "$h1" = "$h0" ] || die "the chain made blocks with two of four validators: $h0 -> $h1"
  [ "$(height_of 2)" = "$h0" ] || die "val2 is at $(height_of 2), val1 at $h0"
  during=$(acked "$burst" | wc -l)
  [ "$during" = "$before" ] || die "uploads were acknowledged during the halt: $before -> $during"
  info "halted: height $h0 on val1 and val2 for 10 s (two of four cannot commit); no upload acknowledged meanwhile"
  figure two_down_halt_height "$h0" height
  figure two_down_acked_before_halt "$before" records
  catch_up 3 4
  h2=$(height_of 1)
  wait_height 1 $((h2 + 3)) 60
  info "resumed: height $h2 -> $(height_of 1) after the restart"
  wait_until 60 "an upload acknowledged after the restart" acked_more "$burst" "$before"
  kill "$BURST_PID"
  wait "$BURST_PID" 2>/dev/null || true
  BURST_PID=""
  figure two_down_acked_total "$(acked "$burst" | wc -l)" records

  step "Nothing acknowledged is lost: each upload's tx and record on every node, each in the audit log"
  val "$FIRST"
  audit=$(audit_of_actor "$(addr "$(ccfg gateway_key)")")
  # Every acknowledged upload (the first $before were acknowledged before the halt).
  while read -r id hash; do
    for n in $VALS; do
      val "$n"
      curl -sf "http://127.0.0.1:$(ccfg rpc_port)/tx?hash=0x$hash" | grep -q '"height"' \
        || { info "tx $hash of record $id missing on val$n"; missing=$((missing + 1)); }
      curl -sf "http://127.0.0.1:$(ccfg api_port)/medexchain/phr/v1/records/$id" | grep -q '"record"' \
        || { info "record $id missing on val$n"; missing=$((missing + 1)); }
    done
    printf '%s' "$audit" | grep -q "\"action\":\"phr/upload-record\",[^}]*\"object_id\":\"record/$id\"" \
      || { info "no phr/upload-record audit entry for record $id"; missing=$((missing + 1)); }
  done < <(sed -n 's/^record \([0-9]*\) .* tx \([0-9A-F]*\).*/\1 \2/p' "$burst")
  figure two_down_acked_missing "$missing" items
  [ "$missing" = 0 ] || die "$missing acknowledged txs, records or audit entries missing after the restart"
  info "all $(acked "$burst" | wc -l) acknowledged uploads ($before before the halt): tx and record on the four nodes, audit entry on chain"
  block_hashes_agree 1 "$(min_height)"
  compare_app_hashes "$(min_height)"
}

silent_proxy() {
  step "Fault: proxies 3 and 4 silent (SIGSTOP); t = 2 of the others answer"
  local before
  before=$(answers_all)
  signal_proxy STOP 3 4
  info "proxies 3 and 4 stopped"
  share_one silent_proxy 60
  answer_figures silent_proxy $before
  [[ " $SILENT " == *" 3 "* && " $SILENT " == *" 4 "* ]] || die "a stopped proxy answered (silent: ${SILENT:-none})"
  signal_proxy CONT 3 4
  info "proxies 3 and 4 resumed"
}

# tasks_of_record GRANT RECORD prints the ids of the open tasks of RECORD under
# GRANT, as the pending tasks of proxy 1 (which must not have answered them).
tasks_of_record() {
  local a
  a=$(proxy_address_of 1)
  val "$FIRST"
  medex q phr pending-tasks "$a" --node "$RPC" -o json | tr -d ' \n' \
    | grep -o "\"id\":\"[0-9]*\",\"grant_id\":\"$1\",\"record_id\":\"$2\"" | sed 's/^"id":"\([0-9]*\)".*/\1/' || true
}

# task_json T prints task T as validator 1 serves it (JSON without blanks or newlines).
task_json() { val "$FIRST"; medex q phr task "$1" --node "$RPC" -o json | tr -d ' \n'; }

# byzantine_proxy MODE: validator 4's proxy daemon is replaced by the byzantine
# build (tests/faults/byzproxy, BYZPROXY_TAMPER=MODE) with the honest proxies
# paused, so that its answers reach the chain before the task completes. Its
# tx goes through, but every answer in it is refused: audited OUTCOME_REFUSED
# naming it, its seat on the task listed as refused, no answer of it stored,
# the share not complete (a chain from before audited refusals refuses the tx
# instead, as an invalid re-encryption answer, and audits nothing). Then the
# honest proxies resume and complete it.
byzantine_proxy() {
  local mode=${1:-point} log a4 tasks t audit n=0 tj t0
  step "Fault: a byzantine proxy (val4's, answers tampered: $mode) among three honest ones"
  a4=$(proxy_address_of 4)
  net4_proxy_stop 4
  val 4; log=$HOME_DIR/byzproxy-$mode.log
  BYZPROXY_TAMPER=$mode net4_proxy_start 4 "$BYZPROXY" "$log"
  signal_proxy STOP 1 2 3
  info "honest proxies 1-3 paused until the byzantine one has answered"
  cast story_upload 1 "byzantine_$mode"
  RECORD=${RECORDS%% *}
  cast story_fetch "$GRANT" "$RECORD"
  tasks=$(tasks_of_record "$GRANT" "$RECORD")
  [ -n "$tasks" ] || die "no open task for record $RECORD under grant $GRANT"
  wait_until 60 "the byzantine proxy's tampered answers and their outcome" grep -q 'batch refused\|answers committed' "$log"
  if grep -q 'answers committed' "$log"; then
    info "its tx committed: $(grep 'answers committed' "$log" | head -n1 | sed 's/.*answers committed //')"
    audit=$(audit_of_actor "$a4")
    for t in $tasks; do
      printf '%s' "$audit" | grep -q "\"action\":\"phr/answer-task\",\"actor\":\"$a4\",[^}]*\"object_id\":\"task/$t\",\"counterparty\":{[^}]*},\"outcome\":\"OUTCOME_REFUSED\"" \
        || die "no OUTCOME_REFUSED audit entry of proxy 4 for task $t"
      tj=$(task_json "$t")
      printf '%s' "$tj" | grep -o '"refused":\[[^]]*\]' | grep -q "\"$a4\"" || die "task $t does not list proxy 4 as refused: $tj"
      printf '%s' "$tj" | grep -q "\"proxy\":\"$a4\"" && die "task $t holds an answer of proxy 4: $tj"
      n=$((n + 1))
      info "task $t: proxy 4's answer refused and audited OUTCOME_REFUSED; no answer of it stored"
    done
  else
    # A chain from before audited refusals refuses the whole tx before a block.
    grep 'batch refused' "$log" | grep -q 'invalid re-encryption answer' \
      || die "the byzantine proxy's tx was refused for another reason: $(grep 'batch refused' "$log" | head -n1 | sed 's/.*err=//')"
    info "its tx refused before a block, nothing audited: $(grep 'batch refused' "$log" | head -n1 | sed 's/.*err=//')"
  fi
  figure "byzantine_${mode}_refusals_audited" "$n" entries
  [ "$(cast complete_shares "$GRANT")" = "$SHARES" ] || die "a share completed from the byzantine proxy's answer"
  signal_proxy CONT 1 2 3
  info "honest proxies resumed"
  t0=$(now_ms)
  SHARES=$((SHARES + 1))
  cast story_wait_shares "$GRANT" "$SHARES" 60
  figure "byzantine_${mode}_share_seconds" "$(secs_since "$t0")" s
  for t in $tasks; do
    tj=$(task_json "$t")
    printf '%s' "$tj" | grep -q "\"proxy\":\"$a4\"" && die "task $t completed with an answer of proxy 4: $tj"
    info "task $t completed by $(printf '%s' "$tj" | grep -o '"proxy":"[^"]*"' | wc -l) honest answers"
  done
  cast story_decrypt "$GRANT" "$RECORD"
  net4_proxy_stop 4
  net4_proxy_start 4
}

byzantine_point() { byzantine_proxy point; }
byzantine_proof() { byzantine_proxy proof; }

# Sourced, this file only defines the functions (as net4.sh does).
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-one-down}" in
  one-down) CASES="one_down" ;;
  two-down) CASES="two_down" ;;
  byzantine-proxy) CASES="byzantine_point byzantine_proof" ;;
  silent-proxy) CASES="silent_proxy" ;;
  short) CASES="one_down byzantine_point" ;;
  all) CASES="one_down silent_proxy byzantine_point byzantine_proof two_down" ;;
  *) echo "usage: $0 one-down|two-down|byzantine-proxy|silent-proxy|short|all" >&2; exit 2 ;;
esac
# Before the network starts: a missing build would otherwise end the run
# only when its case comes, after the setup and the cases before it.
case " $CASES " in
  *" byzantine_"*) [ -x "$BYZPROXY" ] || die "$BYZPROXY not found: make net4-faults builds it (go build -o build/byzproxy ./tests/faults/byzproxy)" ;;
esac
T0=$(now_ms)
BURST_PID=""
# (|| true: a step of the stop that fails must not leave the rest running)
trap 'if [ -n "$BURST_PID" ]; then kill "$BURST_PID" 2>/dev/null || true; fi; net4_stop || true' EXIT
net4_init >/dev/null
net4_start
story_setup
figure net4_setup_seconds "$(secs_since "$T0")" s
for c in $CASES; do case_run "$c" "$c"; done
figure net4_faults_seconds "$(secs_since "$T0")" s
step "net4 faults ($*): all checks passed"
