#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest-run.sh - evn test VM, PID 1 after switch_root: run the tests run.sh listed, in order,
# save each one's out.log, dmesg, verdict and time under /run/evn/<test>/, then power off.
#
# Console markers read by run.sh: "EVN-RIG-START uptime=<s>", "EVN-TEST-START <test>",
# "EVN-TEST-END <test> <verdict>", "EVN-RIG-DONE".
# Test exit status: 0 pass, 77 skip, anything else fail; the reason is in $EVN_REASON_FILE
# (written by _fail/_skip of tests/vm/rc).

RES=/run/evn
# rig.env sets EVN_SRC, EVN_TESTS, EVN_TEST_TIMEOUT, EVN_VERBOSE, KVER, EVN_CI
# shellcheck source=/dev/null
. "$RES/rig.env"
export EVN_SRC KVER EVN_CI
export EVN_KO=$EVN_SRC/kernel/evn.ko
export EVNADM=$EVN_SRC/userspace/evnadm
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8
export EVN_VERBOSE

read -r uptime _ </proc/uptime
echo "EVN-RIG-START uptime=$uptime"
echo evn-vm >/proc/sys/kernel/hostname
# PID 1 must never exit (the kernel would panic): power off instead.
cd /tmp || {
	echo "EVN-RIG-ERROR guest-run: no /tmp"
	busybox poweroff -f
}

# shellcheck disable=SC2153
for t in $EVN_TESTS; do
	d=$RES/$t
	mkdir -p "$d"
	to=$(sed -n 's/^TIMEOUT=\([0-9]\+\).*/\1/p;T;q' "$EVN_SRC/tests/$t")
	to=${to:-$EVN_TEST_TIMEOUT}
	export EVN_TEST=$t EVN_REASON_FILE=$d/reason
	rm -f "$EVN_REASON_FILE"
	dmesg -C
	echo "EVN-TEST-START $t"
	t0=$EPOCHREALTIME
	if [ "$EVN_VERBOSE" = 1 ]; then
		timeout -k 10 "$to" bash "$EVN_SRC/tests/$t" </dev/null 2>&1 | tee "$d/out.log"
		rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$to" bash "$EVN_SRC/tests/$t" </dev/null >"$d/out.log" 2>&1
		rc=$?
	fi
	t1=$EPOCHREALTIME
	# Whatever the test left behind (timeout, kill -9) must not leak into the next test.
	if ! EVN_RC_NO_TRAP=1 bash -c '. "$EVN_SRC/tests/vm/rc" && _teardown' >>"$d/out.log" 2>&1 &&
		[ "$rc" = 0 ]; then
		rc=1
		echo "teardown after the test failed (see out.log)" >"$EVN_REASON_FILE"
	fi
	dmesg >"$d/dmesg"
	r=$(cat "$EVN_REASON_FILE" 2>/dev/null)
	case $rc in
	0) v=pass ;;
	77) v="skip: ${r:-no reason given}" ;;
	124 | 137) v="fail: timed out after ${to}s${r:+ ($r)}" ;;
	*) v="fail: ${r:-exit status $rc}" ;;
	esac
	us0=${t0/./} us1=${t1/./}
	printf '%d.%01d\n' $(((us1 - us0) / 1000000)) $(((us1 - us0) % 1000000 / 100000)) >"$d/time"
	echo "$v" >"$d/verdict"
	echo "EVN-TEST-END $t $v"
done

echo "EVN-RIG-DONE"
busybox poweroff -f
