#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fresh.sh - "make check-fresh": the README's two commands on a fresh Debian 12 machine.
#
# Usage: tests/fresh.sh [-k] [-d DIR]
#   -d DIR   work directory (default /var/tmp/evn-fresh); DIR/root is made anew every run
#   -k       keep DIR/root afterwards (default: removed when everything passed)
#
# Makes a minimal Debian 12 (bookworm) chroot with debootstrap, with this machine's apt
# sources and settings and nothing else of the host: no packages beyond debootstrap's
# minbase and make, no /var/cache/evn, no ccache, no extracted kernel source. The committed
# tree (git archive HEAD: what a fresh clone holds) goes to /root/evn in it, and the README's
# commands run there exactly as written, as root, one after the other:
#   make demo     then     make check
# Each log goes to DIR/<command>.log; wall times and the last line of make check are
# printed, and DIR/result.txt keeps them. Passes when both commands exit 0 and make check
# skipped nothing. Not part of make check: it downloads and builds everything, about an
# hour on 2 cores. Needs root, debootstrap and the Debian archive.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=/var/tmp/evn-fresh
KEEP=0
MIRROR=${EVN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

usage() {
	sed -n '5,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

while getopts 'd:kh' opt; do
	case $opt in
	d) DIR=$OPTARG ;;
	k) KEEP=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage

die() {
	echo "fresh: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || die "debootstrap is missing (make deps installs it)"
git -C "$REPO" rev-parse --verify -q HEAD >/dev/null || die "$REPO is not a git checkout"
[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ] ||
	echo "fresh: note: uncommitted changes are not tested (the chroot gets HEAD)" >&2

ROOT=$DIR/root
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd -P)
ROOT=$DIR/root

# umount_all - undo every mount under $ROOT, deepest first
umount_all() {
	local m
	findmnt -rn -o TARGET | grep -E "^$ROOT(/|$)" | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
}
trap umount_all EXIT

umount_all
findmnt -rn -o TARGET | grep -qE "^$ROOT(/|$)" && die "mounts left under $ROOT from an earlier run"
rm -rf --one-file-system "$ROOT" "$DIR"/*.log "$DIR/result.txt"

secs() {
	echo $(($(date +%s) - $1))
}

t0=$(date +%s)
echo "fresh: debootstrap bookworm (minbase) into $ROOT"
debootstrap --variant=minbase --include=make bookworm "$ROOT" "$MIRROR" \
	>"$DIR/debootstrap.log" 2>&1 || die "debootstrap failed (see $DIR/debootstrap.log)"
# This machine's apt configuration: its sources (with updates and security) and settings,
# the same as any fresh machine of this kind has. No package or list cache is copied.
rm -f "$ROOT/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
	/etc/apt/apt.conf.d/99artifact-registry; do
	[ -f "$f" ] && cp "$f" "$ROOT$f"
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
echo "fresh: chroot ready in $(secs "$t0") s"

mkdir -p "$ROOT/root/evn"
git -C "$REPO" archive HEAD | tar -x -C "$ROOT/root/evn" || die "copying the tree failed"
echo "fresh: $(git -C "$REPO" log -1 --format='%h %s') copied to /root/evn"

mount -t proc proc "$ROOT/proc" &&
	mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys" &&
	mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" &&
	mount -t tmpfs tmpfs "$ROOT/tmp" || die "mounting /proc, /sys, /dev, /tmp in the chroot failed"

# run CMD - the README command CMD in /root/evn, logged to $DIR/CMD.log; prints its seconds
run() {
	local name=${1// /-} t rc
	t=$(date +%s)
	echo "fresh: $1 (log: $DIR/$name.log)"
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb LANG=C.UTF-8 ${CI:+CI=$CI} \
		/bin/bash -c "cd /root/evn && $1" </dev/null >"$DIR/$name.log" 2>&1
	rc=$?
	echo "$1: exit $rc, $(secs "$t") s" | tee -a "$DIR/result.txt"
	return $rc
}

status=0
run "make demo" || status=1
run "make check" || status=1
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$DIR/make-check.log" | tail -n 1)
echo "make check: ${last:-no summary line}" | tee -a "$DIR/result.txt"
case $last in
*", 0 failed, 0 skipped") ;;
*)
	echo "fresh: make check did not pass everything without skips" >&2
	status=1
	;;
esac
echo "fresh: total $(secs "$t0") s" | tee -a "$DIR/result.txt"

umount_all
if findmnt -rn -o TARGET | grep -qE "^$ROOT(/|$)"; then
	echo "fresh: mounts left under $ROOT; not removing it" >&2
	status=1
elif [ $status -eq 0 ] && [ $KEEP = 0 ]; then
	rm -rf --one-file-system "$ROOT"
else
	echo "fresh: chroot kept in $ROOT"
fi
[ $status -eq 0 ] && echo "fresh: passed" || echo "fresh: FAILED" >&2
exit $status
