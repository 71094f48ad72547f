#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - everything `make check` runs, with a summary of every suite.
#
# Usage: tests/check.sh [TEST...]
#   no TEST: selftest -> deps -> build -> lint -> build-6.12 -> kunit -> kunit-debug ->
#            userspace unit tests -> VM integration tests
#   TEST:    deps -> build -> those VM tests, in one boot (e.g. integration/003)
#
# Every stage runs even when an earlier one failed (except after a failed build or deps
# step, which would only repeat the same failure). A stage that fails without reporting a
# failure, or reports nothing, counts as one failure (tests/check-lib.sh). The last line is
# "N passed, N failed, N skipped" over all tests of all stages; the exit status is 0 only
# when nothing failed. With CI=true a VM test that lacks a tool or module fails instead of
# skipping.
#
# The kernel to build against is found after deps.sh has run (tests/kernels.sh rig-kdir:
# the test VM's kernel), unless KDIR is set.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 1

EVN_COUNTS=$(mktemp /tmp/evn-counts.XXXXXX)
export EVN_COUNTS
trap 'rm -f "$EVN_COUNTS"' EXIT
# shellcheck source=tests/check-lib.sh
. "$REPO/tests/check-lib.sh"

# Named tests must exist before anything slow starts.
for t in "$@"; do
	t=${t#tests/}
	if [[ ! $t =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]*$ ]] || [ ! -f "tests/$t" ]; then
		check_fail "${t%%/*}" "no such test: tests/$t (see tests/integration/)"
		check_summary
		exit 1
	fi
done

[ $# -gt 0 ] || check_stage selftest tests/selftest/check.sh

if ! check_stage_one deps tests/deps.sh; then
	check_summary
	exit 1
fi

# The packages are in place now: find the kernel the module is built for.
if [ -z "${KDIR:-}" ]; then
	if ! info=$(tests/kernels.sh rig-kdir); then
		check_fail build "no kernel to build against"
		check_summary
		exit 1
	fi
	export KDIR=${info%% *} KDIR_WHY=${info#* }
fi

if ! check_stage_one build make -s all; then
	check_summary
	exit 1
fi

if [ $# -gt 0 ]; then
	check_stage integration tests/vm/run.sh "$@"
	check_summary
	exit
fi

check_stage lint tests/lint.sh
check_stage_one build-6.12 tests/build-6.12.sh
check_stage kunit tests/kunit.sh
check_stage kunit-debug tests/kunit.sh --debug

# Userspace unit tests (cmocka): sum the runners' own closing lines.
unit() {
	local log rc up uf
	log=$(mktemp /tmp/evn-unit.XXXXXX)
	make -s -C userspace test >"$log" 2>&1
	rc=$?
	cat "$log"
	up=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | paste -sd+ | bc)
	uf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | paste -sd+ | bc)
	rm -f "$log"
	# A runner that crashed or a build error prints no closing line: check_stage
	# adds the failure when the exit status says so.
	[ -z "$up$uf" ] || check_count unit "${up:-0}" "${uf:-0}"
	return "$rc"
}
check_stage unit unit

mapfile -t vmtests < <(cd tests && ls -d integration/[0-9]* 2>/dev/null)
if [ ${#vmtests[@]} -eq 0 ]; then
	check_fail integration "no integration tests found"
else
	check_stage integration tests/vm/run.sh "${vmtests[@]}"
fi

check_summary
