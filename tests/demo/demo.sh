#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh - guest side of the evn demo: three soft-RoCE NVMe-oF "storage servers", then evn.
# Host entry: tests/demo/run.sh (boots a throwaway VM and streams this script's output).
DESCRIPTION="demo: 3 nvmet-rdma storage servers, evn.ko, evnadm"
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
_run insmod kernel/evn.ko || _fail "insmod failed"
_run grep -w evn /proc/modules

step "Ask it what it is"
_run evnadm info || _fail "evnadm info failed"
_run evnadm -j -p info || _fail "evnadm -j -p info failed"

step "Unload"
_run rmmod evn || _fail "rmmod failed"
_run evnadm info
echo "(exit status $?)"

_dmesg_check || _fail "kernel warnings in dmesg"
printf '\ndemo done\n'
