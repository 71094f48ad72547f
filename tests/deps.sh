#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh - install the Debian packages evn's build, tests, benchmarks and demo need.
#
# Idempotent: checks each package with dpkg-query and calls apt-get (update, then
# install) only when something is missing. Quiet when everything is present.
set -euo pipefail

PKGS=(
	# build: kernel module and evnadm
	build-essential make gcc pkg-config kmod
	linux-headers-amd64 libnl-3-dev libnl-genl-3-dev libjson-c-dev
	zlib1g-dev uuid-dev
	# userspace unit tests
	libcmocka-dev
	# lint: sparse; checkpatch comes from linux-source
	sparse perl python3-yaml
	# the 6.12 build check makes a trixie chroot (tests/build-6.12.sh)
	debootstrap
	# KUnit on UML from Debian's kernel source
	linux-source flex bison bc python3 xz-utils ccache
	# VM rig: kernel to boot, qemu, initramfs pieces
	linux-image-amd64 qemu-system-x86 busybox-static cpio zstd
	# tools used inside the guest (the guest runs the host's binaries over 9p)
	fio xfsprogs nvme-cli rdma-core iproute2 util-linux e2fsprogs procps
	dmsetup
	# benchmarks: charts
	gnuplot-nox
)

missing=()
for p in "${PKGS[@]}"; do
	case "$p" in \#*) continue ;; esac
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root to install them" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
