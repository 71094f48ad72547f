#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kunit.sh - run evn's KUnit suites (kernel/*_test.c) on User Mode Linux.
#
# Usage: tests/kunit.sh [--debug] [FILTER_GLOB]
#
# Uses Debian's linux-source-6.1 tree, extracted once into $EVN_CACHE
# (tests/ksrc.sh), with kernel/ linked (not copied) in as drivers/block/evn,
# and the kernel's own tools/testing/kunit/kunit.py. --debug builds the same
# suites with KASAN, lockdep and UBSAN in a separate build directory and fails
# on any report in the test log, since on 6.1 such reports do not fail a KUnit
# test by themselves.
#
# When $EVN_COUNTS names a file, one line "<suite> <passed> <failed> <skipped>
# <cases>" is appended to it for tests/check.sh: passed counts every parameter of
# a parametrised case, cases the distinct test cases.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${EVN_CACHE:-/var/cache/evn}
DEBUG=0
if [ "${1:-}" = --debug ]; then
	DEBUG=1
	shift
fi
FILTER=${1:-evn_*}

TREE=$("$REPO/tests/ksrc.sh")

# Link the module's sources into the scratch tree, idempotently.
ln -sfn "$REPO/kernel" "$TREE/drivers/block/evn"
grep -q '^source "drivers/block/evn/Kconfig"' "$TREE/drivers/block/Kconfig" ||
	echo 'source "drivers/block/evn/Kconfig"' >> "$TREE/drivers/block/Kconfig"
grep -q 'CONFIG_EVN_KUNIT_TEST' "$TREE/drivers/block/Makefile" ||
	echo 'obj-$(CONFIG_EVN_KUNIT_TEST) += evn/' >> "$TREE/drivers/block/Makefile"

if [ $DEBUG = 1 ]; then
	SUITE=kunit-debug
	BUILD=$CACHE/kunit-debug
else
	SUITE=kunit
	BUILD=$CACHE/kunit-build
fi
mkdir -p "$BUILD" "$CACHE/uml"

{
	echo CONFIG_KUNIT=y
	echo CONFIG_NET=y
	echo CONFIG_EVN_KUNIT_TEST=y
	if [ $DEBUG = 1 ]; then
		echo CONFIG_DEBUG_KERNEL=y
		echo CONFIG_KASAN=y
		# On 6.1 a KASAN report fails the running test only with this.
		echo CONFIG_KASAN_KUNIT_TEST=y
		echo CONFIG_PROVE_LOCKING=y
		echo CONFIG_UBSAN=y
		echo CONFIG_UBSAN_BOUNDS=y
		echo CONFIG_UBSAN_SHIFT=y
		echo CONFIG_DEBUG_LIST=y
	fi
} > "$BUILD/.kunitconfig.evn"

# ccache, when installed, makes rebuilds of a fresh build directory cheap.
if [ -d /usr/lib/ccache ]; then
	export PATH=/usr/lib/ccache:$PATH
	export CCACHE_DIR=$CACHE/ccache
	export CCACHE_BASEDIR=$CACHE
fi

LOG=$BUILD/kunit-run.log
echo "$SUITE: building and running $FILTER in $BUILD"
set +e
python3 "$TREE/tools/testing/kunit/kunit.py" run --arch=um \
	--build_dir="$BUILD" --kunitconfig="$BUILD/.kunitconfig.evn" \
	--jobs="$(nproc)" --kernel_args="uml_dir=$CACHE/uml/" \
	"$FILTER" > "$LOG" 2>&1
rc=$?
set -e
# Show the result table, not the build chatter.
sed -n '/^\[..:..:..\] ====/,$p' "$LOG" | grep -v -e "^\[..:..:..\] Elapsed time" -e "^stty: " || true

summary=$(grep -o 'Ran [0-9]* tests: .*' "$LOG" | tail -1 || true)
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<< "$summary")
failed_n=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<< "$summary")
crashed=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<< "$summary")
skipped=$(sed -n 's/.*skipped: \([0-9]*\).*/\1/p' <<< "$summary")
passed=${passed:-0}
skipped=${skipped:-0}
failed=$(( ${failed_n:-0} + ${crashed:-0} ))
# "Ran N tests" counts every parameter of a parametrised case; the distinct cases are the
# results one level below the suites in the KTAP log (whatever prefix the console adds).
cases=$(awk '!p && (i = index($0, "KTAP version 1")) { p = i }
	p && substr($0, p) ~ /^    (not )?ok [0-9]+ / { n++ } END { print n + 0 }' \
	"$BUILD/test.log" 2>/dev/null || echo 0)

if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
	# Build error, or no test ran: count the suite as one failure.
	echo "$SUITE: kunit.py failed (exit $rc); log: $LOG" >&2
	tail -30 "$LOG" >&2
	failed=1
fi

if [ $DEBUG = 1 ]; then
	# Reports after the first KTAP line belong to our tests (UML's boot
	# always prints one harmless virt-pci WARNING before it).
	reports=$(sed -n '/KTAP version/,$p' "$BUILD/test.log" 2>/dev/null |
		grep -E 'BUG: |WARNING: |UBSAN: |KASAN: |Oops|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: ' || true)
	if [ -n "$reports" ]; then
		echo "$SUITE: debug report in the test log ($BUILD/test.log):" >&2
		echo "$reports" >&2
		failed=$((failed + 1))
	fi
fi

echo "$SUITE: $passed passed, $failed failed, $skipped skipped ($cases distinct cases)"
if [ -n "${EVN_COUNTS:-}" ]; then
	echo "$SUITE $passed $failed $skipped $cases" >> "$EVN_COUNTS"
fi
[ "$failed" -eq 0 ]
