# SPDX-License-Identifier: GPL-2.0
# check-lib.sh - the bookkeeping of tests/check.sh: run stages, collect their counts, print
# the summary. Sourced by tests/check.sh and by its own tests (tests/selftest/check.sh).
#
# $EVN_COUNTS names a file of count lines "<suite> <passed> <failed> [<skipped> [<cases>]]",
# appended by the stages themselves (lint.sh, kunit.sh, vm/run.sh, selftest) or by
# check_stage_one for a stage that is a single test. <cases> is the number of distinct test
# cases when <passed> counts parametrised results (KUnit).
#
# The rule that keeps the total honest: a stage that exits non-zero must have reported a
# failure, and a counting stage must have reported something. Otherwise check_stage adds one
# failure of its own, so no stage can vanish from the total or fail with everything "passed".
# shellcheck shell=bash

CHECK_TIMES=()
CHECK_NOTES=()

# check_count SUITE PASSED FAILED [SKIPPED [CASES]] - append a count line
check_count() {
	echo "$1 $2 $3 ${4:-0} ${5:--}" >>"$EVN_COUNTS"
}

# _check_failed_since LINE - the failures counted in $EVN_COUNTS after its first LINE lines
_check_failed_since() {
	tail -n +$(($1 + 1)) "$EVN_COUNTS" | awk '{ f += $3 } END { print f + 0 }'
}

# check_stage NAME CMD... - run a stage that appends its own count lines to $EVN_COUNTS;
# returns the stage's exit status
check_stage() {
	local name=$1 start rc before after
	shift
	echo
	echo "=== $name: $*"
	before=$(wc -l <"$EVN_COUNTS")
	start=$(date +%s)
	"$@"
	rc=$?
	CHECK_TIMES+=("$name $(($(date +%s) - start))")
	after=$(wc -l <"$EVN_COUNTS")
	if [ "$after" -eq "$before" ]; then
		CHECK_NOTES+=("$name: exited $rc without reporting its counts; counted as one failure")
		check_count "$name" 0 1
		[ "$rc" -ne 0 ] || rc=1
	elif [ "$rc" -ne 0 ] && [ "$(_check_failed_since "$before")" -eq 0 ]; then
		CHECK_NOTES+=("$name: exited $rc but reported no failure; counted as one failure")
		check_count "$name" 0 1
	fi
	return "$rc"
}

# check_stage_one NAME CMD... - run a stage that is one test: passed when it exits 0
check_stage_one() {
	local name=$1 start rc
	shift
	echo
	echo "=== $name: $*"
	start=$(date +%s)
	"$@"
	rc=$?
	CHECK_TIMES+=("$name $(($(date +%s) - start))")
	if [ "$rc" -eq 0 ]; then
		check_count "$name" 1 0
	else
		check_count "$name" 0 1
	fi
	return "$rc"
}

# check_fail NAME WHY - count one failure that happened outside any stage
check_fail() {
	echo "check: $2" >&2
	CHECK_NOTES+=("$1: $2")
	check_count "$1" 0 1
}

# check_summary - the table and the last line "N passed, N failed, N skipped";
# returns 1 when anything failed
check_summary() {
	local s p f k c t x n tp=0 tf=0 tk=0
	local -a order=()
	local -A sp=() sf=() sk=() sc=()
	while read -r s p f k c _; do
		[ -n "$s" ] || continue
		if [ -z "${sp[$s]+x}" ]; then
			order+=("$s")
			sp[$s]=0 sf[$s]=0 sk[$s]=0 sc[$s]=-
		fi
		sp[$s]=$((sp[$s] + p))
		sf[$s]=$((sf[$s] + f))
		sk[$s]=$((sk[$s] + ${k:-0}))
		[[ ${c:--} == - ]] || sc[$s]=$c
	done <"$EVN_COUNTS"
	echo
	echo "=== summary"
	printf '  %-14s %7s %7s %7s %7s %7s\n' suite passed failed skipped cases seconds
	for s in "${order[@]}"; do
		t=
		for x in "${CHECK_TIMES[@]}"; do
			[ "${x% *}" = "$s" ] && t=${x##* }
		done
		# cases: distinct test cases; "passed" counts each parameter of a case
		printf '  %-14s %7d %7d %7d %7s %7s\n' "$s" "${sp[$s]}" "${sf[$s]}" "${sk[$s]}" \
			"${sc[$s]}" "${t:--}"
		tp=$((tp + sp[$s]))
		tf=$((tf + sf[$s]))
		tk=$((tk + sk[$s]))
	done
	for n in "${CHECK_NOTES[@]}"; do
		echo "  note: $n"
	done
	echo "$tp passed, $tf failed, $tk skipped"
	[ "$tf" -eq 0 ]
}
