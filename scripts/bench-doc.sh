# bench-doc.sh — sourced by the bench scripts: one way to put a generated
# section into docs/BENCHMARKS.md.

# write_bench_section DOC BEGIN_MARK END_MARK SECTION_FILE replaces the lines
# from BEGIN_MARK to END_MARK in DOC with SECTION_FILE (which carries both
# marks), appends the section when DOC has no such marks, or creates DOC.
write_bench_section() {
	local doc=$1 begin=$2 end=$3 section=$4
	if [[ -f "$doc" ]] && grep -qF "$begin" "$doc" && grep -qF "$end" "$doc"; then
		awk -v b="$begin" -v e="$end" -v f="$section" '
			$0 == b { while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == e { skip = 0; next }
			!skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
	elif [[ -f "$doc" ]]; then
		{ echo; cat "$section"; } >>"$doc"
	else
		{ echo "# Benchmarks"; echo; cat "$section"; } >"$doc"
	fi
}

# bench_generated CORES_NOTE TAIL prints a section's "Generated …" line: the
# time, the CPU and its cores (CORES_NOTE inside the parentheses), Go, the
# commit, then TAIL.
bench_generated() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1)
	echo "Generated $(date -u +%Y-%m-%dT%H:%MZ) on ${cpu:-unknown cpu} ($(nproc) cores$1), $(go version | awk '{print $3}'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$2"
}

# bench_table FILE prints FILE's `name value unit` lines as a markdown table.
bench_table() {
	echo "| figure | value | unit |"
	echo "|---|---:|---|"
	awk '{ printf "| `%s` | %s | %s |\n", $1, $2, $3 }' "$1"
}

# bench_value FILE NAME prints the value of figure NAME in FILE.
bench_value() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }

# bench_target FILE NAME OP LIMIT WORDS [UNIT] prints "Target: `NAME` WORDS —
# value UNIT, met." when the value OP LIMIT holds (awk), MISSED otherwise.
bench_target() {
	local v st=MISSED
	v=$(bench_value "$1" "$2")
	awk -v v="$v" "BEGIN { exit !(v + 0 $3 $4) }" && st=met
	echo "Target: \`$2\` $5 — $v${6:-}, $st."
}
