#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh - guest side of the evn demo: three soft-RoCE NVMe-oF "storage servers", then evn.
# Host entry: tests/demo/run.sh (boots a throwaway VM and streams this script's output).
DESCRIPTION="demo: 3 nvmet-rdma servers, evn targets, a volume with XFS"
TIMEOUT=180

. "${BASH_SOURCE[0]%/*}/../vm/rc"

# step TEXT - a numbered, blank-line separated heading
n=0
step() {
	n=$((n + 1))
	printf '\n### %d. %s\n' "$n" "$*"
}

# sh_run 'CMD | ...' - like _run, for a shell pipeline given as one string
sh_run() {
	printf '+ %s\n' "$1" >&2
	eval "$1"
}

_require_file "$EVN_KO" "$EVNADM"
_require_cmd nvme rdma ip
export PATH=$EVN_SRC/userspace:$PATH
cd "$EVN_SRC" || _fail "no $EVN_SRC"

step "Three storage servers: stock Linux nvmet-rdma over soft-RoCE, nothing evn-specific"
echo "(rdma_rxe on dummy netdev $EVN_NETDEV; servers at 192.0.2.1-3; 512 MiB null_blk each)"
_rxe_setup || _fail "soft-RoCE setup failed"
_targets_create 3 512 || _fail "creating the storage servers failed"
_run rdma link show
_run ls /sys/kernel/config/nvmet/subsystems
_load_modules nvme_rdma || _fail "modprobe nvme_rdma failed"
for i in 0 1 2; do
	sh_run "nvme discover -t rdma -a $(_target_addr $i) -s $EVN_TRSVCID | grep '^subnqn:.*io.evn'" ||
		_fail "discovery at $(_target_addr $i) shows no evn target"
done

step "Load the evn kernel module"
deps=$(modinfo -F depends kernel/evn.ko)
_run modprobe -a ${deps//,/ } || _fail "modprobe of evn's dependencies failed"
_run insmod kernel/evn.ko || _fail "insmod failed"

step "Ask it what it is"
_run evnadm info || _fail "evnadm info failed"

step "Name the three targets: evn connects with NVMe-oF/RDMA, like the kernel's nvme-rdma host"
for i in 0 1 2; do
	_run evnadm target add "server$i" addr "$(_target_addr $i)" nqn "$(_target_nqn $i)" ||
		_fail "target add server$i failed"
done
_run evnadm target show || _fail "target show failed"

step "A volume striped over the three servers (128 KiB chunks): /dev/evnN, a plain block device"
dev=$(_run evnadm volume create train0 layout stripe chunk 128K \
	column server0:64M:136M column server1:64M:136M column server2:64M:136M) ||
	_fail "volume create failed"
echo "$dev"
_run evnadm volume show train0 || _fail "volume show failed"

step "XFS on it: fill it with files, then read them back from a fresh mount"
mnt=/mnt/evn-demo
mkdir -p $mnt
_run mkfs.xfs -q "$dev" || _fail "mkfs.xfs failed"
_run mount "$dev" $mnt || _fail "mount failed"
head -c 24M /dev/urandom >/tmp/demo.data
_run split -b 96K -a 3 /tmp/demo.data $mnt/img. || _fail "writing files failed"
sh_run "(cd $mnt && sha256sum img.* >/tmp/demo.sums) && wc -l </tmp/demo.sums"
_run umount $mnt || _fail "umount failed"
_run mount -o ro,norecovery "$dev" $mnt || _fail "read-only mount failed"
sh_run "(cd $mnt && sha256sum --quiet -c /tmp/demo.sums) && echo all files verified" ||
	_fail "files differ after remount"
_run umount $mnt || _fail "umount failed"

step "Clean up: the volume, the targets, the module"
_run evnadm volume del train0 || _fail "volume del failed"
for i in 0 1 2; do
	_run evnadm target del "server$i" || _fail "target del server$i failed"
done
_run rmmod evn || _fail "rmmod failed"
_run evnadm info
echo "(exit status $?)"

_dmesg_check || _fail "kernel warnings in dmesg"
printf '\ndemo done\n'
