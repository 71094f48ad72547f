#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh - guest side of the evn benchmark (host entry: tests/bench/run.sh). Three nvmet-rdma
# targets (one without the stripe group), each connected twice at once: as an evn target and
# with the kernel's nvme-rdma host.
# Then one comparison group after the other, each an "evn" side against a peer side:
#   single  evn volume over the whole namespace of target 0  vs  its nvme-rdma device
#   stripe  evn stripe over targets 0-2 (3 columns, chunk 128K)  vs  dm-stripe over their
#           nvme-rdma devices (same chunk, same length; the same layout, checked with data)
# Every fio job of the group runs on both sides, alternating, in EVN_BENCH_PAIRS rounds. Raw fio
# JSON goes to <this test's results>/fio/<group>.<job>.<side>.<round>.json;
# tests/bench/summarize.py turns it into medians and evn/peer ratios per group.
# shellcheck disable=SC2034 # read by tests/vm/run.sh
DESCRIPTION="bench: evn vs nvme-rdma (1 target) and evn stripe vs dm-stripe (3 targets)"
# No TIMEOUT= line: run.sh sizes the guest timeout (EVN_TEST_TIMEOUT) to the number of runs.

# shellcheck source-path=SCRIPTDIR source=../vm/rc
. "${BASH_SOURCE[0]%/*}/../vm/rc"

# run.sh writes the settings into the results share; defaults for a run without it. An empty
# job list leaves its group out.
# shellcheck source=/dev/null
[ ! -r /run/evn/bench.env ] || . /run/evn/bench.env
: "${EVN_BENCH_PAIRS:=3}" "${EVN_BENCH_RUNTIME:=8}" "${EVN_BENCH_SIZE_MB:=256}"
: "${EVN_BENCH_SINGLE_JOBS=randread-4k-qd32 randread-4k-qd1 seqread-128k}"
: "${EVN_BENCH_STRIPE_JOBS=randread-4k-qd32 seqread-128k}"
bench=$EVN_SRC/tests/bench
res=${EVN_REASON_FILE%/*}
[ "$res" != /dev ] || res=/tmp/evn-bench
mkdir -p "$res/fio" || _fail "cannot create $res/fio"

size=$((EVN_BENCH_SIZE_MB << 20))
chunk=$((128 << 10))
ncols=3
dm_name=evn-bench-stripe
groups=()
[ -z "$EVN_BENCH_SINGLE_JOBS" ] || groups+=(single)
[ -z "$EVN_BENCH_STRIPE_JOBS" ] || groups+=(stripe)
[ ${#groups[@]} -gt 0 ] ||
	_fail "no jobs: EVN_BENCH_SINGLE_JOBS and EVN_BENCH_STRIPE_JOBS are both empty"
ntargets=1
[ -z "$EVN_BENCH_STRIPE_JOBS" ] || ntargets=$ncols

_require_file "$EVN_KO" "$EVNADM"
_require_cmd fio nvme rdma ip blockdev dd cmp
_require_modules rdma_rxe nvmet_rdma nvme_rdma null_blk dummy configfs
[ -z "$EVN_BENCH_STRIPE_JOBS" ] || {
	_require_cmd dmsetup
	_require_modules dm_mod
}
for j in $EVN_BENCH_SINGLE_JOBS $EVN_BENCH_STRIPE_JOBS; do
	_require_file "$bench/$j.fio"
done

# _bench_exit - EXIT trap: remove the dm-stripe device (it holds the nvme devices open, and
# rc's _teardown knows nothing of device-mapper), then rc's teardown with the test's status
_bench_status() {
	return "$1"
}
_bench_exit() {
	local rc=$?
	if [ -e /sys/module/dm_mod ] && dmsetup info "$dm_name" >/dev/null 2>&1; then
		dmsetup remove "$dm_name" || rc=1
	fi
	_bench_status "$rc"
	_teardown_on_exit
}
trap _bench_exit EXIT

# _sched_none DEV - make sure block device DEV uses no I/O scheduler (bio-based devices,
# such as an nvme multipath head or a dm-stripe device, have none to choose)
_sched_none() {
	local s=/sys/block/${1#/dev/}/queue/scheduler v
	read -r v <"$s" || return 1
	case $v in none | *"[none]"*) return 0 ;; esac
	echo none >"$s" || return 1
	read -r v <"$s" || return 1
	[[ $v == *"[none]"* ]]
}

# _describe GROUP DEV... - one line per DEV: its queue settings, for devices.txt
_describe() {
	local g=$1 d n q mq s
	shift
	for d in "$@"; do
		n=${d#/dev/}
		q=/sys/block/$n/queue
		# a multipath head has no queues of its own: count its path's (nvmeXcYnZ)
		mq=(/sys/block/"$n"/mq/* /sys/block/"${n%n*}"c*n"${n##*n}"/mq/*)
		s=(/sys/block/"$n"/slaves/*)
		printf '%s %s: nr_requests %s max_sectors_kb %s max_segments %s chunk_sectors %s' \
			"$g" "$d" "$(<"$q/nr_requests")" "$(<"$q/max_sectors_kb")" \
			"$(<"$q/max_segments")" "$(<"$q/chunk_sectors")"
		printf ' scheduler %s hw queues %s' "$(<"$q/scheduler")" \
			"$(printf '%s\n' "${mq[@]}" | grep -c '/mq/[0-9]')"
		# a dm device is bio-based: its queues are those of the devices under it
		[ ! -e "${s[0]}" ] || printf ' (bio-based, over %s)' "${s[*]##*/}"
		echo
	done
}

# _same_data A A_CHUNK B B_CHUNK N WHAT - write N chunks of random data to device A at chunk
# A_CHUNK, read them back from device B at chunk B_CHUNK (direct I/O both), fail unless equal
_same_data() {
	local pat=/tmp/evn-bench.pat back=/tmp/evn-bench.back
	dd if=/dev/urandom of="$pat" bs="$chunk" count="$5" status=none ||
		_fail "layout check ($6): cannot make a pattern"
	dd if="$pat" of="$1" bs="$chunk" seek="$2" oflag=direct conv=notrunc status=none ||
		_fail "layout check ($6): writing $1 failed"
	dd if="$3" of="$back" bs="$chunk" skip="$4" count="$5" iflag=direct status=none ||
		_fail "layout check ($6): reading $3 failed"
	cmp "$pat" "$back" >&2 || _fail "layout check: $6 differ"
	rm -f "$pat" "$back"
}

# A group G is three functions: _group_G_up (create the devices; set evn_dev, peer - the side's
# name in report file names - and peer_dev), _group_G_check (prove the two sides comparable,
# before any run) and _group_G_down (remove what _up created).
_group_single_up() {
	_expect 0 "$EVNADM" volume create bench-single extent "b0:0:${EVN_BENCH_SIZE_MB}M"
	evn_dev=$out peer=nvme peer_dev=${nvme[0]}
}

_group_single_check() {
	: # the very same namespace on both sides
}

_group_single_down() {
	_expect 0 "$EVNADM" volume del bench-single
}

_group_stripe_up() {
	local i cols=() table
	for ((i = 0; i < ncols; i++)); do
		cols+=(column "b$i:0:${EVN_BENCH_SIZE_MB}M")
	done
	_expect 0 "$EVNADM" volume create bench-stripe layout stripe chunk "$((chunk >> 10))K" \
		"${cols[@]}"
	evn_dev=$out peer=dm
	# dm-stripe: <start> <length> striped <#stripes> <chunk sectors> (<dev> <offset>)...
	table="0 $((ncols * size / 512)) striped $ncols $((chunk / 512))"
	for ((i = 0; i < ncols; i++)); do
		table+=" ${nvme[i]} 0"
	done
	echo "$table" >"$res/dm-table.txt"
	_run dmsetup create --noudevsync "$dm_name" --table "$table" ||
		_fail "dmsetup create $dm_name failed"
	# no udev in the VM, so no /dev/mapper/<name>: devtmpfs has /dev/dm-N
	peer_dev=/dev/$(dmsetup info -c --noheadings -o blkdevname "$dm_name")
	[ -b "$peer_dev" ] || _fail "no block device for $dm_name ($peer_dev)"
}

# The same layout on both sides, proven with data both ways: 48 chunks (16 rows) from chunk 0
# written through evn and read through dm-stripe; 48 chunks from mid-row in the middle third
# written through dm-stripe and read through evn; and volume chunk 1 is chunk 0 of target 1.
_group_stripe_check() {
	local m=$((size / chunk))
	m=$((m - m % ncols + 1))
	_same_data "$evn_dev" 0 "$peer_dev" 0 48 "evn -> dm-stripe, chunks 0-47"
	_same_data "$peer_dev" "$m" "$evn_dev" "$m" 48 "dm-stripe -> evn, chunks $m-$((m + 47))"
	_same_data "$evn_dev" 1 "${nvme[1]}" 0 1 "evn chunk 1 -> ${nvme[1]} chunk 0"
	echo "stripe: layout check passed: evn and dm-stripe hold the same data (chunks 0-47 and" \
		"$m-$((m + 47)), both ways; chunk 1 on ${nvme[1]})"
}

_group_stripe_down() {
	_run dmsetup remove "$dm_name" || _fail "dmsetup remove $dm_name failed"
	_expect 0 "$EVNADM" volume del bench-stripe
}

_run _rxe_setup || _fail "soft-RoCE setup failed"
_run _targets_create "$ntargets" "$EVN_BENCH_SIZE_MB" ||
	_fail "creating the nvmet-rdma targets failed"
nvme=()
for ((i = 0; i < ntargets; i++)); do
	nvme[i]=$(_run _nvme_host_connect "$i") || _fail "nvme connect to target $i failed"
	[ "$(blockdev --getsize64 "${nvme[i]}")" = "$size" ] ||
		_fail "${nvme[i]} is not $EVN_BENCH_SIZE_MB MiB"
done
_run _evn_load || _fail "insmod failed"
for ((i = 0; i < ntargets; i++)); do
	_expect 0 _evn_target_add "b$i" "$i"
done
[ -z "$EVN_BENCH_STRIPE_JOBS" ] || _run modprobe dm_mod || _fail "modprobe dm_mod failed"

# Write every namespace once, in full, so that reads hit allocated null_blk pages on every
# path. Locally, on the null_blk disks the targets export: much faster than over soft-RoCE.
pre=(--ioengine=libaio --direct=1 --rw=write --bs=1M --iodepth=8 --output=/dev/null)
for ((i = 0; i < ntargets; i++)); do
	pre+=(--name="precondition$i" --filename="/dev/nullb$i")
done
_run fio "${pre[@]}" || _fail "preconditioning the null_blk namespaces failed"

echo "kernel $(uname -r), $(nproc) CPUs, targets: $ntargets x $EVN_BENCH_SIZE_MB MiB," \
	"${nvme[*]}" | tee "$res/devices.txt"
"$EVNADM" -j target show >"$res/target.json" || _fail "evnadm target show failed"

export RUNTIME=$EVN_BENCH_RUNTIME
for g in "${groups[@]}"; do
	evn_dev='' peer='' peer_dev=''
	"_group_${g}_up"
	[ -b "$evn_dev" ] || _fail "$g: volume create did not print a block device: '$evn_dev'"
	[ "$(blockdev --getsize64 "$evn_dev")" = "$(blockdev --getsize64 "$peer_dev")" ] ||
		_fail "$g: $evn_dev and $peer_dev differ in size"
	for d in "$evn_dev" "$peer_dev"; do
		_sched_none "$d" || _fail "$g: cannot select I/O scheduler none for $d"
	done
	{
		echo "$g: evn $evn_dev vs $peer $peer_dev," \
			"$(($(blockdev --getsize64 "$evn_dev") >> 20)) MiB each"
		_describe "$g" "$evn_dev" "$peer_dev"
	} | tee -a "$res/devices.txt"
	# no pipe here: a _fail in the check must end this shell
	"_group_${g}_check" >/tmp/evn-bench.check
	tee -a "$res/devices.txt" </tmp/evn-bench.check
	g_jobs=EVN_BENCH_${g^^}_JOBS
	g_jobs=${!g_jobs}
	# One round: every job on both sides, evn first in odd rounds, the peer first in even ones.
	for ((p = 1; p <= EVN_BENCH_PAIRS; p++)); do
		order="evn $peer"
		((p % 2)) || order="$peer evn"
		for j in $g_jobs; do
			for w in $order; do
				if [ "$w" = evn ]; then DEV=$evn_dev; else DEV=$peer_dev; fi
				export DEV
				f=$res/fio/$g.$j.$w.$p.json
				_log "$g round $p/$EVN_BENCH_PAIRS: $j on $w ($DEV)"
				fio --output-format=json --output="$f" "$bench/$j.fio" ||
					_fail "fio $j on $DEV failed (see $f)"
			done
		done
	done
	"_group_${g}_down"
done

_expect 0 "$EVNADM" -j target show
echo "$out" >"$res/target-after.json"
for ((i = 0; i < ntargets; i++)); do
	_expect 0 "$EVNADM" target del "b$i"
done
_run rmmod evn || _fail "rmmod evn failed"
_dmesg_check || _fail "kernel warnings in dmesg"
echo "ok"
