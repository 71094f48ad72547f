#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ksrc.sh - print the path of Debian's linux-source-6.1 tree, extracting it once.
#
# The tree lives in a cache directory outside the repository ($EVN_CACHE,
# default /var/cache/evn) and is reused by later runs; KUnit and lint share it.
set -euo pipefail

CACHE=${EVN_CACHE:-/var/cache/evn}
TARBALL=${EVN_KSRC_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
TREE=$CACHE/linux-source-6.1

if [ ! -f "$TREE/.evn-extracted" ]; then
	if [ ! -f "$TARBALL" ]; then
		echo "ksrc: $TARBALL missing (run make deps)" >&2
		exit 1
	fi
	mkdir -p "$CACHE"
	# Extract under a temporary name so an interrupted run never leaves
	# a half tree that looks complete.
	tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
	echo "ksrc: extracting $TARBALL into $CACHE (once)" >&2
	tar -C "$tmp" -xf "$TARBALL"
	rm -rf "$TREE"
	mv "$tmp/linux-source-6.1" "$TREE"
	rmdir "$tmp"
	touch "$TREE/.evn-extracted"
fi
echo "$TREE"
