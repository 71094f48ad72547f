#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh - guest side of the evn benchmark (host entry: tests/bench/run.sh). One nvmet-rdma
# target; (a) an evn volume over the whole namespace and (b) the kernel's nvme-rdma host on the
# same namespace, both connected at once; every fio job of tests/bench/*.fio run on each,
# alternating, in EVN_BENCH_PAIRS rounds. Raw fio JSON goes to <this test's results>/fio/;
# tests/bench/summarize.py turns it into medians and evn/nvme ratios.
DESCRIPTION="bench: evn vs nvme-rdma on one target, interleaved fio runs"
# No TIMEOUT= line: run.sh sizes the guest timeout (EVN_TEST_TIMEOUT) to the number of runs.

. "${BASH_SOURCE[0]%/*}/../vm/rc"

# run.sh writes the settings into the results share; defaults for a run without it
# shellcheck source=/dev/null
[ ! -r /run/evn/bench.env ] || . /run/evn/bench.env
: "${EVN_BENCH_PAIRS:=3}" "${EVN_BENCH_RUNTIME:=8}" "${EVN_BENCH_SIZE_MB:=512}"
: "${EVN_BENCH_JOBS:=randread-4k-qd32 randread-4k-qd1 seqread-128k}"
bench=$EVN_SRC/tests/bench
res=${EVN_REASON_FILE%/*}
[ "$res" != /dev ] || res=/tmp/evn-bench
mkdir -p "$res/fio" || _fail "cannot create $res/fio"

_require_file "$EVN_KO" "$EVNADM"
_require_cmd fio nvme rdma ip blockdev
_require_modules rdma_rxe nvmet_rdma nvme_rdma null_blk dummy configfs
for j in $EVN_BENCH_JOBS; do
	_require_file "$bench/$j.fio"
done

_run _rxe_setup || _fail "soft-RoCE setup failed"
_run _targets_create 1 "$EVN_BENCH_SIZE_MB" || _fail "creating the nvmet-rdma target failed"
nvme=$(_run _nvme_host_connect 0) || _fail "nvme connect failed"
_run _evn_load || _fail "insmod failed"
_expect 0 _evn_target_add b0 0
_expect 0 "$EVNADM" volume create bench extent "b0:0:${EVN_BENCH_SIZE_MB}M"
evn=$out
[ -b "$evn" ] || _fail "volume create did not print a block device: '$evn'"
[ "$(blockdev --getsize64 "$evn")" = "$(blockdev --getsize64 "$nvme")" ] ||
	_fail "$evn and $nvme differ in size"

# Write the whole namespace once, so that reads hit allocated null_blk pages on both paths.
_run fio --name=precondition --filename="$nvme" --ioengine=libaio --direct=1 --rw=write \
	--bs=1M --iodepth=8 --output=/dev/null || _fail "preconditioning $nvme failed"

# What each device is, for the report.
{
	echo "kernel $(uname -r), $(nproc) CPUs, evn $evn, nvme-rdma $nvme"
	for d in "$evn" "$nvme"; do
		n=${d#/dev/}
		q=/sys/block/$n/queue
		# a multipath head has no queues of its own: count its path's (nvmeXcYnZ)
		mq=(/sys/block/"$n"/mq/* /sys/block/"${n%n*}"c*n"${n##*n}"/mq/*)
		echo "$d: nr_requests $(<"$q/nr_requests") max_sectors_kb $(<"$q/max_sectors_kb")" \
			"max_segments $(<"$q/max_segments") scheduler $(<"$q/scheduler")" \
			"hw queues $(printf '%s\n' "${mq[@]}" | grep -c '/mq/[0-9]')"
	done
} | tee "$res/devices.txt"
"$EVNADM" -j target show b0 >"$res/target.json" || _fail "evnadm target show failed"

# One round: every job on both devices, evn first in odd rounds, nvme-rdma first in even ones.
export RUNTIME=$EVN_BENCH_RUNTIME
for ((p = 1; p <= EVN_BENCH_PAIRS; p++)); do
	order="evn nvme"
	((p % 2)) || order="nvme evn"
	for j in $EVN_BENCH_JOBS; do
		for w in $order; do
			if [ "$w" = evn ]; then DEV=$evn; else DEV=$nvme; fi
			export DEV
			f=$res/fio/$j.$w.$p.json
			_log "round $p/$EVN_BENCH_PAIRS: $j on $w ($DEV)"
			fio --output-format=json --output="$f" "$bench/$j.fio" ||
				_fail "fio $j on $DEV failed (see $f)"
		done
	done
done

_expect 0 "$EVNADM" -j target show b0
echo "$out" >"$res/target-after.json"
_expect 0 "$EVNADM" volume del bench
_expect 0 "$EVNADM" target del b0
_run rmmod evn || _fail "rmmod evn failed"
_dmesg_check || _fail "kernel warnings in dmesg"
echo "ok"
