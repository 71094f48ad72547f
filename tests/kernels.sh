#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels.sh - which kernel to build evn.ko against, and which one the test VM boots.
#
# Usage: tests/kernels.sh kdir        "<build tree> <why>" for building on this machine:
#                                     $KDIR if set, else the running kernel's build tree,
#                                     else the newest /lib/modules/*/build
#        tests/kernels.sh rig-kver    the release the test VM boots: $KVER if set, else the
#                                     newest /boot/vmlinuz-6.1.*-amd64
#        tests/kernels.sh rig-kdir    "<build tree> <why>" for modules loaded into the test
#                                     VM: $KDIR if set, else /lib/modules/<rig-kver>/build
#
# The Makefile and the test scripts ask this script only when they are about to build, so a
# tree that tests/deps.sh has just installed is found (never at the time make parses).
# Exit status 1, with a message on stderr naming the package to install, when nothing fits.
set -uo pipefail

die() {
	echo "evn: $*" >&2
	exit 1
}

rig_kver() {
	local k
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	k=$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*-amd64' -printf '%f\n' 2>/dev/null |
		sed 's/^vmlinuz-//' | sort -V | tail -n 1)
	[ -n "$k" ] || die "no /boot/vmlinuz-6.1.*-amd64 for the test VM; install linux-image-amd64 (make deps) or set KVER="
	echo "$k"
}

case ${1:-} in
kdir)
	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR set by KDIR"
	elif [ -d "/lib/modules/$(uname -r)/build" ]; then
		echo "/lib/modules/$(uname -r)/build running kernel"
	else
		k=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build 2>/dev/null | sort -V | tail -n 1)
		[ -n "$k" ] || die "no kernel build tree found; install linux-headers-amd64 (make deps) or pass KDIR="
		echo "$k newest installed kernel; the running kernel has no build tree"
	fi
	;;
rig-kver)
	rig_kver
	;;
rig-kdir)
	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR set by KDIR"
	else
		k=$(rig_kver) || exit 1
		[ -d "/lib/modules/$k/build" ] ||
			die "no build tree for the test VM's kernel $k; install linux-headers-$k (make deps) or pass KDIR="
		echo "/lib/modules/$k/build kernel of the test VM"
	fi
	;;
*)
	sed -n '3,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
	;;
esac
