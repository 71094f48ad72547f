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

# The 6.12 headers and kbuild, unpacked; the newest 6.12 the archive has.
KVER=$(basename "$(ls -d "$ROOT"/usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -1)")
KVER=${KVER#linux-headers-}
if [ -z "$KVER" ]; then
	echo "build-6.12: fetching the 6.12 headers"
	chroot "$ROOT" /bin/sh -c 'apt-get update -q >/dev/null &&
		v=$(apt-cache search --names-only "^linux-headers-6\.12\..*-amd64$" |
		    sed "s/ .*//" | sort -V | tail -1) && [ -n "$v" ] &&
		common=$(echo "$v" | sed "s/-amd64$/-common/") &&
		kb=$(apt-cache depends "$common" "$v" | sed -n "s/.*Depends: \(linux-kbuild-6\.12[^ ]*\).*/\1/p" | head -1) &&
		mkdir -p /tmp/debs && cd /tmp/debs && apt-get download -q "$v" "$common" "$kb" &&
		for d in *.deb; do dpkg-deb -x "$d" /; done' >"$CACHE/trixie-headers.log" 2>&1 ||
		fail "fetching the 6.12 headers failed (see $CACHE/trixie-headers.log)"
	KVER=$(basename "$(ls -d "$ROOT"/usr/src/linux-headers-6.12.*-amd64 | sort -V | tail -1)")
	KVER=${KVER#linux-headers-}
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
echo "build-6.12: evn.ko builds cleanly against $KVER"
