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
