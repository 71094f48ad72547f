#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh - guest side of the evn demo: three soft-RoCE NVMe-oF "storage servers" and a pool
# over them; a training data set written once through a read-write map and read back by
# several readers through a read-only map, then the same read pass on one server through the
# kernel's nvme-rdma host. Host entry: tests/demo/run.sh (boots a throwaway VM, streams this).
# shellcheck disable=SC2034 # read by tests/vm/run.sh
DESCRIPTION="demo: a pool on 3 nvmet-rdma servers; a training set written rw, read ro"
TIMEOUT=900

# shellcheck source-path=SCRIPTDIR source=../vm/rc
. "${BASH_SOURCE[0]%/*}/../vm/rc"

# run.sh writes the settings into the results share (see README, "make demo")
# shellcheck source=/dev/null
[ ! -r /run/evn/demo.env ] || . /run/evn/demo.env
: "${EVN_DEMO_FILES:=3000}" "${EVN_DEMO_LAYOUT:=stripe}" "${EVN_DEMO_READERS:=4}"
: "${EVN_DEMO_SERVER_MB:=512}"

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
_require_cmd nvme rdma ip mkfs.xfs python3
export PATH=$EVN_SRC/userspace:$PATH
cd "$EVN_SRC" || _fail "no $EVN_SRC"
trainset() { python3 tests/bench/trainset.py "$@"; }
case $EVN_DEMO_LAYOUT in
stripe | concat) ;;
*) _fail "EVN_DEMO_LAYOUT must be stripe or concat, not '$EVN_DEMO_LAYOUT'" ;;
esac
[[ $EVN_DEMO_FILES =~ ^[1-9][0-9]*$ && $EVN_DEMO_READERS =~ ^[1-9][0-9]*$ &&
	$EVN_DEMO_SERVER_MB =~ ^[1-9][0-9]*$ ]] ||
	_fail "EVN_DEMO_FILES, EVN_DEMO_READERS and EVN_DEMO_SERVER_MB must be positive numbers"
set_bytes=$(trainset plan --files "$EVN_DEMO_FILES" --bytes) || _fail "trainset.py plan failed"
# room for the files, XFS's own metadata and log, and whole 64 MiB units per column
vol_mb=$(((set_bytes * 3 / 2 >> 20) + 256))

step "Four storage servers: stock Linux nvmet-rdma over soft-RoCE, nothing evn-specific"
echo "(rdma_rxe on dummy netdev $EVN_NETDEV; servers at 192.0.2.1-4; ${EVN_DEMO_SERVER_MB} MiB" \
	"null_blk each; the fourth is the reference for the comparison at the end)"
_rxe_setup || _fail "soft-RoCE setup failed"
_targets_create 4 "$EVN_DEMO_SERVER_MB" || _fail "creating the storage servers failed"
_run rdma link show
_load_modules nvme_rdma || _fail "modprobe nvme_rdma failed"
for i in 0 1 2; do
	sh_run "nvme discover -t rdma -a $(_target_addr $i) -s $EVN_TRSVCID | grep '^subnqn:.*io.evn'" ||
		_fail "discovery at $(_target_addr $i) shows no evn target"
done

step "Load the evn kernel module and ask it what it is"
IFS=, read -ra deps <<<"$(modinfo -F depends kernel/evn.ko)"
_run modprobe -a "${deps[@]}" || _fail "modprobe of evn's dependencies failed"
_run insmod kernel/evn.ko || _fail "insmod failed"
_run evnadm info || _fail "evnadm info failed"

step "Name three servers: evn connects with NVMe-oF/RDMA, like the kernel's nvme-rdma host"
for i in 0 1 2; do
	_run evnadm target add "server$i" addr "$(_target_addr $i)" nqn "$(_target_nqn $i)" ||
		_fail "target add server$i failed"
done
_run evnadm target show || _fail "target show failed"

step "A pool over them: its table lives on the servers themselves, no management server"
_run evnadm pool create demo target server0 target server1 target server2 ||
	_fail "pool create failed"

step "A ${vol_mb} MiB $EVN_DEMO_LAYOUT volume by size: evnadm places it, /dev/evnN appears"
if [ "$EVN_DEMO_LAYOUT" = stripe ]; then
	dev=$(_run evnadm volume create train size "${vol_mb}M" layout stripe chunk 128K)
else
	dev=$(_run evnadm volume create train size "${vol_mb}M")
fi || _fail "volume create failed"
echo "$dev"
_run evnadm pool show || _fail "pool show failed"
_run evnadm volume show train || _fail "volume show failed"

mnt=/mnt/evn-demo
mkdir -p $mnt
step "Fill it once through the read-write map: mkfs.xfs and $EVN_DEMO_FILES files (~115 KiB)"
_run mkfs.xfs -q "$dev" || _fail "mkfs.xfs failed"
_run mount "$dev" $mnt || _fail "mount failed"
t0=$SECONDS
_run trainset write $mnt --files "$EVN_DEMO_FILES" || _fail "writing the data set failed"
echo "(written in $((SECONDS - t0)) s)"
_run df -h $mnt
_run umount $mnt || _fail "umount failed"
_run evnadm volume unmap train || _fail "unmap failed"

step "Map it read-only, as every training node would, and read the whole set"
dev=$(_run evnadm volume map train ro) || _fail "volume map ro failed"
echo "$dev"
_run blockdev --getro "$dev"
_run mount -o ro,norecovery "$dev" $mnt || _fail "read-only mount failed"
_run trainset read $mnt --readers "$EVN_DEMO_READERS" --drop-caches --verify \
	--json /tmp/demo-evn.json || _fail "reading the data set through evn failed"
_run umount $mnt || _fail "umount failed"
_run evnadm volume unmap train || _fail "unmap failed"

step "The same data set on the fourth server through the kernel's nvme-rdma host"
ref=$(_nvme_host_connect 3) || _fail "nvme connect to server 4 failed"
echo "$ref"
_run mkfs.xfs -q -f "$ref" || _fail "mkfs.xfs on $ref failed"
_run mount "$ref" $mnt || _fail "mount $ref failed"
_run trainset write $mnt --files "$EVN_DEMO_FILES" >/dev/null || _fail "writing to $ref failed"
_run umount $mnt || _fail "umount failed"
_run mount -o ro,norecovery "$ref" $mnt || _fail "read-only mount of $ref failed"
_run trainset read $mnt --readers "$EVN_DEMO_READERS" --drop-caches --verify \
	--json /tmp/demo-nvme.json || _fail "reading the data set through nvme-rdma failed"
_run umount $mnt || _fail "umount failed"
_run _nvme_host_disconnect_all || _fail "nvme disconnect failed"

step "Summary"
python3 -S - /tmp/demo-evn.json /tmp/demo-nvme.json "$EVN_DEMO_LAYOUT" <<'PY' ||
import json, sys
e, r = (json.load(open(p))["trainset"] for p in sys.argv[1:3])
assert e["bad"] == 0 and r["bad"] == 0 and e["files"] == r["files"], "passes differ"
print("data set: %d files, %.1f MiB, every SHA-256 verified on both paths"
      % (e["files"], e["bytes"] / 2**20))
print("%-44s %8s %8s %8s %8s" % ("read pass, %d readers, cold cache" % e["readers"],
                                 "seconds", "MiB/s", "files/s", "p99 ms"))
for name, j in (("evn %s over 3 servers, read-only map" % sys.argv[3], e),
                ("kernel nvme-rdma host, one server", r)):
    print("%-44s %8.1f %8.1f %8.0f %8.1f" % (name, j["seconds"], j["mib_per_s"],
                                              j["files_per_s"], j["file_lat_ms"]["p99"]))
print("evn / nvme-rdma: %.2fx. Under QEMU/TCG and soft-RoCE only ratios mean anything,"
      % (e["mib_per_s"] / r["mib_per_s"]))
print("and one pass is noisy: make bench measures them in interleaved runs.")
PY
	_fail "summary failed"

step "Clean up: the pool volume, the targets, the module"
_run evnadm volume del train || _fail "volume del failed"
for i in 0 1 2; do
	_run evnadm target del "server$i" || _fail "target del server$i failed"
done
_run rmmod evn || _fail "rmmod failed"

_dmesg_check || _fail "kernel warnings in dmesg"
printf '\ndemo done\n'
