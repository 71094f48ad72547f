#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest/check.sh - tests of tests/check.sh itself: its total must be honest.
#
# Usage: tests/selftest/check.sh
#
# Each case runs the real tests/check.sh and tests/check-lib.sh in a scratch copy of tests/
# whose stages are stubs (a few lines each, below) that pass, fail, exit early or report
# nothing, as the case says; two cases use the real kunit.sh and lint.sh made to stop early;
# one runs the real "make check T=" with a test that does not exist; the last ones check the
# CI rule of tests/vm/rc. A case passes when the exit status and the last line are what a
# user must see. Takes a few seconds and needs nothing installed beyond bash and make.
# When $EVN_COUNTS names a file, "selftest <passed> <failed>" is appended to it.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SCRATCH=$(mktemp -d /tmp/evn-selftest.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1"
	shift
	printf '    %s\n' "$@"
}

# The scratch tree: real check.sh, check-lib.sh, kunit.sh, ksrc.sh, lint.sh (renamed
# *.real), stubs in their place.
T=$SCRATCH/tree
mkdir -p "$T/tests/vm" "$T/tests/selftest" "$T/tests/integration" "$T/userspace"
cp "$REPO/tests/check.sh" "$REPO/tests/check-lib.sh" "$REPO/tests/ksrc.sh" "$T/tests/"
cp "$REPO/tests/kunit.sh" "$T/tests/kunit.sh.real"
cp "$REPO/tests/lint.sh" "$T/tests/lint.sh.real"
touch "$T/tests/integration/001" "$T/tests/integration/002"

# stub NAME PATH - a stage that behaves as $STUB_<NAME> says (default pass)
stub() {
	cat >"$2" <<-STUB
		#!/bin/bash
		name=$1
		[ "\${1:-}" = --debug ] && name=\$name-debug
		var=STUB_\${name//-/_}
		mode=\${!var:-pass}
		case \$name in kunit*) counts="299 0 0 58" ;; integration) counts="24 0 0" ;; *) counts="5 0" ;; esac
		echo "stub \$name: \$mode"
		case \$mode in
		pass) echo "\$name \$counts" >>"\$EVN_COUNTS" ;;
		fail) echo "\$name 4 1" >>"\$EVN_COUNTS"; exit 1 ;;
		early) exit 1 ;;
		silent) exit 0 ;;
		liar) echo "\$name \$counts" >>"\$EVN_COUNTS"; exit 1 ;;
		skip) echo "\$name 23 0 1" >>"\$EVN_COUNTS" ;;
		rigerror) echo "run.sh: no such test" >&2; exit 4 ;;
		esac
		exit 0
	STUB
	chmod +x "$2"
}
stub lint "$T/tests/lint.sh"
stub kunit "$T/tests/kunit.sh"
stub integration "$T/tests/vm/run.sh"
stub selftest "$T/tests/selftest/check.sh"
printf '#!/bin/sh\n[ "${STUB_deps:-pass}" = pass ]\n' >"$T/tests/deps.sh"
printf '#!/bin/sh\n[ "${STUB_build_6_12:-pass}" = pass ]\n' >"$T/tests/build-6.12.sh"
printf '#!/bin/sh\necho "/stub/kdir stub"\n' >"$T/tests/kernels.sh"
chmod +x "$T"/tests/*.sh
printf 'all:\n\t@[ "$${STUB_build:-pass}" = pass ]\n' >"$T/Makefile"
printf 'test:\n\t@echo "[  PASSED  ] 7 test(s)."\n\t@echo "[  PASSED  ] 3 test(s)."\n' \
	>"$T/userspace/Makefile"

# scenario DESC EXPECT_RC LAST_LINE [ENV=VALUE...] [-- ARGS] - run check.sh in the scratch
# tree; EXPECT_RC is 0 or "nonzero"
scenario() {
	local desc=$1 want_rc=$2 want_last=$3 rc last out
	local -a envs=() args=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	[ $# -eq 0 ] || {
		shift
		args=("$@")
	}
	out=$(env -u EVN_COUNTS -u KDIR "${envs[@]}" "$T/tests/check.sh" "${args[@]}" 2>&1)
	rc=$?
	last=$(tail -n 1 <<<"$out")
	if { [ "$want_rc" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want_rc" = nonzero ] && [ $rc -ne 0 ]; }; then
		if [ "$last" = "$want_last" ]; then
			ok "$desc"
			LAST_OUT=$out
			return 0
		fi
	fi
	not_ok "$desc" "want exit $want_rc and last line '$want_last'" \
		"got exit $rc and last line '$last'" "--- output:" "$out"
	LAST_OUT=$out
	return 1
}

# Totals: stubs report selftest 5, deps 1, build 1, lint 5, build-6.12 1, kunit 299,
# kunit-debug 299, unit 10, integration 24 = 645.
scenario "all stages pass: exit 0, every test counted" 0 "645 passed, 0 failed, 0 skipped" &&
	if grep -qE '^  kunit +299 +0 +0 +58 ' <<<"$LAST_OUT"; then
		ok "the summary shows KUnit's 58 distinct cases beside its 299 results"
	else
		not_ok "the summary shows KUnit's 58 distinct cases beside its 299 results" "$LAST_OUT"
	fi
scenario "a failing lint stage fails the run" nonzero "644 passed, 1 failed, 0 skipped" \
	STUB_lint=fail
scenario "a kunit stage that exits early without counts is a failure" nonzero \
	"346 passed, 1 failed, 0 skipped" STUB_kunit=early &&
	if grep -q 'note: kunit: exited 1 without reporting its counts' <<<"$LAST_OUT"; then
		ok "the summary says which stage vanished"
	else
		not_ok "the summary says which stage vanished" "$LAST_OUT"
	fi
scenario "a stage that exits 0 without counts is a failure" nonzero \
	"640 passed, 1 failed, 0 skipped" STUB_lint=silent
scenario "a stage that exits non-zero but counts no failure is a failure" nonzero \
	"645 passed, 1 failed, 0 skipped" STUB_kunit_debug=liar
scenario "a skipped VM test is counted and shown" 0 "644 passed, 0 failed, 1 skipped" \
	STUB_integration=skip
scenario "a rig error of the VM suite is a failure" nonzero "621 passed, 1 failed, 0 skipped" \
	STUB_integration=rigerror
scenario "one named VM test with a rig error is a failure" nonzero \
	"2 passed, 1 failed, 0 skipped" STUB_integration=rigerror -- integration/001
scenario "a failing build-6.12 counts one failure" nonzero "644 passed, 1 failed, 0 skipped" \
	STUB_build_6_12=fail
scenario "a failed build stops the run and fails it" nonzero "6 passed, 1 failed, 0 skipped" \
	STUB_build=fail
scenario "a failed deps step stops the run and fails it" nonzero "5 passed, 1 failed, 0 skipped" \
	STUB_deps=fail
scenario "an unknown test fails before anything runs" nonzero "0 passed, 1 failed, 0 skipped" \
	-- integration/999

# The real kunit.sh and lint.sh, stopped early by a missing kernel source tarball.
cp "$T/tests/kunit.sh.real" "$T/tests/kunit.sh"
cp "$T/tests/lint.sh.real" "$T/tests/lint.sh"
scenario "the real kunit.sh and lint.sh exiting early are failures" nonzero \
	"42 passed, 3 failed, 0 skipped" EVN_CACHE="$SCRATCH/cache" \
	EVN_KSRC_TARBALL="$SCRATCH/no-such.tar.xz"

# The real entry point, as a user types it.
out=$(cd "$REPO" && env -u EVN_COUNTS make check T=integration/999 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -qx '0 passed, 1 failed, 0 skipped' <<<"$out" &&
	grep -q 'no such test: tests/integration/999' <<<"$out"; then
	ok "make check T=integration/999 exits non-zero with '0 passed, 1 failed'"
else
	not_ok "make check T=integration/999 exits non-zero with '0 passed, 1 failed'" \
		"exit $rc" "$out"
fi

# tests/vm/rc: a missing tool skips (77), except with EVN_CI=true, where it fails (1).
rc_case() {
	local desc=$1 want=$2 rc reason
	shift 2
	reason=$SCRATCH/reason
	rm -f "$reason"
	env "$@" EVN_RC_NO_TRAP=1 EVN_REASON_FILE="$reason" bash -c \
		'. "$0/tests/vm/rc" && _require_cmd evn-no-such-command' "$REPO" >/dev/null 2>&1
	rc=$?
	if [ $rc -eq "$want" ] && grep -q 'command evn-no-such-command not installed' "$reason"; then
		ok "$desc"
	else
		not_ok "$desc" "want exit $want, got $rc; reason: $(cat "$reason" 2>/dev/null)"
	fi
}
rc_case "a VM test missing a tool skips outside CI" 77 EVN_CI=
rc_case "a VM test missing a tool fails in CI" 1 EVN_CI=true

echo "selftest: $passed passed, $failed failed"
[ -z "${EVN_COUNTS:-}" ] || echo "selftest $passed $failed" >>"$EVN_COUNTS"
[ "$failed" -eq 0 ]
