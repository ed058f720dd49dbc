#!/usr/bin/env bash
# Faults on the four-validator network of scripts/net4.sh (fresh homes each run;
# every node is stopped at the end, also on failure).
#   scripts/net4-faults.sh one-down   kill -9 validator 4: blocks keep coming (3 of 4 is
#                                     more than 2/3); restart it, it catches up; the four
#                                     app hashes agree (`make net4-fault-one-down`)
#   scripts/net4-faults.sh two-down   kill -9 validators 3 and 4: the chain halts (2 of 4 is
#                                     not more than 2/3); restart them, it resumes; hashes agree
#   scripts/net4-faults.sh all        both, one after the other on the same network
# Exits non-zero when a figure is not as expected. Prints heights and seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/net4.sh"

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

one_down() {
  step "Fault: one validator of four down (val4, SIGKILL)"
  local h0 h1 t0
  wait_height 1 5 60
  h0=$(height_of 1)
  val 4; node_kill
  info "val4 killed at height $h0"
  t0=$(now_ms)
  wait_height 1 $((h0 + 5)) 30
  h1=$(height_of 1)
  info "without val4: height $h0 -> $h1 in $(secs_since "$t0") s (three of four sign)"
  catch_up 4
  wait_height 4 $(($(height_of 4) + 1)) 10
  compare_app_hashes $((h0 + 2))
  compare_app_hashes "$(min_height)"
}

two_down() {
  step "Fault: two validators of four down (val3 and val4, SIGKILL)"
  local h0 h1 h2
  wait_height 1 $(($(height_of 1) + 2)) 30
  val 3; node_kill
  val 4; node_kill
  # A block already being committed may still land: settle, then watch.
  sleep 3
  h0=$(height_of 1)
  info "val3 and val4 killed; height $h0"
  sleep 10
  h1=$(height_of 1)
  [ "$h1" = "$h0" ] || die "the chain made blocks with two of four validators: $h0 -> $h1"
  info "halted: height $h0 -> $h1 in 10 s (two of four cannot commit)"
  catch_up 3 4
  h2=$(height_of 1)
  wait_height 1 $((h2 + 3)) 60
  info "resumed: height $h2 -> $(height_of 1) after the restart"
  compare_app_hashes "$(min_height)"
}

# Sourced, this file only defines the functions (as net4.sh does).
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-one-down}" in
  one-down | two-down | all) ;;
  *) echo "usage: $0 one-down|two-down|all" >&2; exit 2 ;;
esac
trap 'for n in $VALS; do val "$n"; node_stop; done' EXIT
net4_init >/dev/null
net4_start
case "${1:-one-down}" in
  one-down) one_down ;;
  two-down) two_down ;;
  all) one_down; two_down ;;
esac
step "net4 faults: all checks passed"
