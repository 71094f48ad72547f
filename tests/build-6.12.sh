#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-6.12.sh - build evn.ko against Debian 13's Linux 6.12 and fail on any compiler warning.
#
# Usage: tests/build-6.12.sh
#
# Debian 13's kbuild binaries need a newer glibc than Debian 12 has, and its kernel is built
# with gcc-14, so the module is built in a minimal trixie chroot kept in $EVN_CACHE/trixie
# (default /var/cache/evn): debootstrap, then gcc-14 and friends, then the 6.12 header and
# kbuild packages unpacked with dpkg-deb (installing linux-headers through apt would drag in a
# kernel image and an initrd). The first run needs the Debian archive and takes about two
# minutes; later runs reuse the chroot. See ../shared/RIG-NOTES.md, "A second kernel".
#
# Exits non-zero on failure; tests/check.sh counts it as one test.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${EVN_CACHE:-/var/cache/evn}
ROOT=$CACHE/trixie
MIRROR=${EVN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

fail() {
	echo "build-6.12: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root (chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (tests/deps.sh installs it)"

# The chroot: minimal trixie with the compiler the 6.12 kernel was built with.
if [ ! -x "$ROOT/usr/bin/gcc-14" ]; then
	echo "build-6.12: creating the trixie chroot in $ROOT"
	rm -rf "$ROOT.new"
	debootstrap --variant=minbase trixie "$ROOT.new" "$MIRROR" >"$CACHE/trixie-debootstrap.log" 2>&1 ||
		fail "debootstrap failed (see $CACHE/trixie-debootstrap.log)"
	echo "deb $MIRROR trixie main" >"$ROOT.new/etc/apt/sources.list"
	chroot "$ROOT.new" /bin/sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends \
		gcc-14 make libelf1t64 libssl3t64 zlib1g pahole bc' >"$CACHE/trixie-apt.log" 2>&1 ||
		fail "installing the compiler in the chroot failed (see $CACHE/trixie-apt.log)"
	rm -rf "$ROOT"
	mv "$ROOT.new" "$ROOT"
fi

# The 6.12 headers and kbuild of the generic amd64 flavour, unpacked. Which release that is
# comes from trixie's metapackage linux-headers-amd64 (so never rt, cloud or dbg, and the
# current point release whatever the archive holds today); its header package in turn
# names the -common and linux-kbuild packages it needs. $ROOT/.evn-headers records what was
# unpacked; EVN_612_REFRESH=1 fetches the archive's current release again.
STAMP=$ROOT/.evn-headers
KVER=
if [ -z "${EVN_612_REFRESH:-}" ] && [ -s "$STAMP" ]; then
	read -r KVER _ <"$STAMP"
	[ -f "$ROOT/usr/src/linux-headers-$KVER/Makefile" ] || KVER=
fi
if [ -z "$KVER" ]; then
	echo "build-6.12: fetching the 6.12 headers named by trixie's linux-headers-amd64"
	rm -rf "$ROOT/tmp/debs"
	# shellcheck disable=SC2016 # expanded in the chroot
	chroot "$ROOT" /bin/sh -euc '
		apt-get update -q >/dev/null
		deps() { apt-cache depends "$1" | sed -n "s/^ *Depends: \([^ <>]*\)$/\1/p"; }
		hdr=$(deps linux-headers-amd64 | grep -E "^linux-headers-6\.12\.[^-]*-amd64$" | head -n 1)
		[ -n "$hdr" ] || { echo "linux-headers-amd64 names no 6.12 generic header package" >&2; exit 1; }
		common=$(deps "$hdr" | grep -E "^linux-headers-6\.12\..*-common$" | head -n 1)
		kbuild=$(deps "$hdr" | grep -E "^linux-kbuild-6\.12" | head -n 1)
		[ -n "$common" ] && [ -n "$kbuild" ] ||
			{ echo "$hdr: no -common or linux-kbuild dependency found" >&2; exit 1; }
		mkdir -p /tmp/debs && cd /tmp/debs
		apt-get download -q "$hdr" "$common" "$kbuild" >/dev/null
		for d in *.deb; do dpkg-deb -x "$d" /; done
		for d in *.deb; do dpkg-deb -W --showformat="\${Package} \${Version}\n" "$d"; done >../debs.list
		echo "${hdr#linux-headers-}" >../debs.kver' >"$CACHE/trixie-headers.log" 2>&1 ||
		fail "fetching the 6.12 headers failed (see $CACHE/trixie-headers.log)"
	KVER=$(cat "$ROOT/tmp/debs.kver")
	echo "$KVER $(date -u +%Y-%m-%d)" >"$STAMP"
	sed 's/^/build-6.12: fetched /' "$ROOT/tmp/debs.list"
	rm -rf "$ROOT/tmp/debs" "$ROOT/tmp/debs.kver" "$ROOT/tmp/debs.list"
fi
KDIR=/usr/src/linux-headers-$KVER

# A copy of the module's sources, built from scratch.
rm -rf "$ROOT/src"
mkdir -p "$ROOT/src"
cp -r "$REPO/Kbuild" "$REPO/kernel" "$REPO/include" "$ROOT/src/"
rm -f "$ROOT"/src/kernel/*.o "$ROOT"/src/kernel/*.ko "$ROOT"/src/kernel/.*.cmd "$ROOT"/src/kernel/*.mod*
log=$CACHE/build-6.12.log
if ! chroot "$ROOT" make -C "$KDIR" M=/src modules >"$log" 2>&1; then
	tail -20 "$log" >&2
	fail "the module does not build against $KVER (see $log)"
fi
if grep -E 'warning:|error:' "$log" >&2; then
	fail "compiler warnings against $KVER (see $log)"
fi
echo "build-6.12: evn.ko builds cleanly against $KVER (headers fetched $(cut -d" " -f2 "$STAMP"))"
