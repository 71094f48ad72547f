#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - everything `make check` runs, with a summary of every suite.
#
# Usage: tests/check.sh [TEST]
#   no TEST: deps -> build -> lint -> build-6.12 -> kunit -> kunit-debug ->
#            userspace unit tests -> VM integration tests
#   TEST:    deps -> build -> that one VM test (e.g. integration/003)
#
# Every stage runs even when an earlier one failed (except after a failed
# build or deps step, which would only repeat the same failure). The last
# line is "N passed, N failed" over all tests of all stages.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 1
ONLY=${1:-}

EVN_COUNTS=$(mktemp /tmp/evn-counts.XXXXXX)
export EVN_COUNTS
trap 'rm -f "$EVN_COUNTS"' EXIT
TIMES=()

stage() {
	local name=$1 start end rc
	shift
	echo
	echo "=== $name: $*"
	start=$(date +%s)
	"$@"
	rc=$?
	end=$(date +%s)
	TIMES+=("$name $((end - start))")
	return $rc
}

count() {
	echo "$1 $2 $3" >> "$EVN_COUNTS"
}

summary() {
	local p=0 f=0 s n
	echo
	echo "=== summary"
	printf '  %-14s %7s %7s %7s\n' suite passed failed seconds
	while read -r s n fl _; do
		local t=""
		for x in "${TIMES[@]}"; do
			[ "${x% *}" = "$s" ] && t=${x##* }
		done
		printf '  %-14s %7d %7d %7s\n' "$s" "$n" "$fl" "$t"
		p=$((p + n))
		f=$((f + fl))
	done < "$EVN_COUNTS"
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}

if ! stage deps tests/deps.sh; then
	count deps 0 1
	summary
	exit 1
fi

if stage build make -s all; then
	count build 1 0
else
	count build 0 1
	summary
	exit 1
fi

if [ -n "$ONLY" ]; then
	stage integration tests/vm/run.sh "$ONLY"
	summary
	exit
fi

stage lint tests/lint.sh
if stage build-6.12 tests/build-6.12.sh; then
	count build-6.12 1 0
else
	count build-6.12 0 1
fi
stage kunit tests/kunit.sh
stage kunit-debug tests/kunit.sh --debug

# Userspace unit tests (cmocka): sum the runners' own closing lines.
unit_log=$(mktemp /tmp/evn-unit.XXXXXX)
stage unit make -s -C userspace test > "$unit_log" 2>&1
unit_rc=$?
cat "$unit_log"
up=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$unit_log" | paste -sd+ | bc)
uf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$unit_log" | paste -sd+ | bc)
up=${up:-0}
uf=${uf:-0}
# A runner that crashed or a build error prints no closing line.
[ "$unit_rc" -ne 0 ] && [ "$uf" -eq 0 ] && uf=1
[ "$up" -eq 0 ] && [ "$uf" -eq 0 ] && uf=1
rm -f "$unit_log"
count unit "$up" "$uf"

mapfile -t vmtests < <(cd tests && ls -d integration/[0-9]* 2>/dev/null)
if [ ${#vmtests[@]} -eq 0 ]; then
	echo "no integration tests found" >&2
	count integration 0 1
else
	# run.sh appends its own counts; a rig failure before any test ran
	# leaves none, so count that as one failure.
	before=$(wc -l < "$EVN_COUNTS")
	stage integration tests/vm/run.sh "${vmtests[@]}"
	[ "$(wc -l < "$EVN_COUNTS")" -eq "$before" ] && count integration 0 1
fi

summary
