#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - evn benchmark, host side: boot one VM (tests/vm/run.sh) running tests/bench/guest.sh,
# then print, per comparison group, evn vs each peer: medians and ratios (summarize.py), and
# draw the ratios (bench.png, gnuplot). Groups: single (evn vs nvme-rdma, one target), stripe
# (evn stripe vs dm-stripe, 3 targets), train (a training set on XFS: evn stripe vs dm-stripe
# vs nvme-rdma on a 4th target), ceiling (evn vs local null_blk).
#
# usage: tests/bench/run.sh [-v] [-r RESULTS_DIR] [-n PAIRS] [-t RUNTIME_S] [-s SIZE_MB]
#   -n PAIRS     rounds of every job on every side of a group (default 3)
#   -t SECONDS   fio runtime of each run (default 8)
#   -s MiB       size of each target's null_blk namespace and of the local one (default 512,
#                at least 8; the train group's data set must fit in one)
#   -r DIR       results directory (default tests/results/bench-<YYYYmmdd-HHMMSS>)
#   -v           stream the guest console
# environment: the jobs of each group, an empty list leaves the group out:
#   EVN_BENCH_SINGLE_JOBS   (default "randread-4k-qd32 randread-4k-qd1 seqread-128k")
#   EVN_BENCH_STRIPE_JOBS   (default "randread-4k-qd32 seqread-128k")
#   EVN_BENCH_TRAIN_JOBS    (default "train-read-4": trainset.py read with 4 readers)
#   EVN_BENCH_CEILING_JOBS  (default "randread-4k-qd32 randread-4k-qd1 seqread-128k")
#   EVN_BENCH_TRAIN_FILES   files in the training set (default 3000, ~340 MiB);
#   and what tests/vm/run.sh takes (KVER, EVN_CACHE, EVN_VM_SMP, EVN_VM_MEM, ...).
# output: RESULTS_DIR/bench.txt (the table), bench.json (the figures), bench.png and bench.dat
#   (the chart and its data), bench/guest.sh/ (guest log, dmesg, devices.txt, dm-table.txt,
#   target.json, train-verify.*.json, raw reports under fio/).
# exit: 0 figures complete, 1 a run failed, 2-4 as tests/vm/run.sh (panic, timeout, rig error).
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SRC=${BENCH_DIR%/tests/bench}

usage() {
	sed -n '9,28s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&$(($1 ? 2 : 1))
	exit "$1"
}

pairs=3 runtime=8 size=512 results='' verbose=()
while getopts 'n:t:s:r:vh' opt; do
	case $opt in
	n) pairs=$OPTARG ;;
	t) runtime=$OPTARG ;;
	s) size=$OPTARG ;;
	r) results=$OPTARG ;;
	v) verbose=(-v) ;;
	h) usage 0 ;;
	*) usage 4 ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 0 ] || usage 4
files=${EVN_BENCH_TRAIN_FILES:-3000}
for v in "$pairs" "$runtime" "$size" "$files"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || {
		echo "bench: '$v' is not a positive number" >&2
		exit 4
	}
done
[ "$size" -ge 8 ] || {
	echo "bench: -s $size: the stripe layout check needs at least 8 MiB" >&2
	exit 4
}
[ -z "${EVN_BENCH_JOBS+set}" ] || {
	echo "bench: EVN_BENCH_JOBS is gone: set EVN_BENCH_SINGLE_JOBS, EVN_BENCH_STRIPE_JOBS," \
		"EVN_BENCH_TRAIN_JOBS, EVN_BENCH_CEILING_JOBS" >&2
	exit 4
}
# set but empty leaves a group out
single_jobs=${EVN_BENCH_SINGLE_JOBS-randread-4k-qd32 randread-4k-qd1 seqread-128k}
stripe_jobs=${EVN_BENCH_STRIPE_JOBS-randread-4k-qd32 seqread-128k}
train_jobs=${EVN_BENCH_TRAIN_JOBS-train-read-4}
ceiling_jobs=${EVN_BENCH_CEILING_JOBS-randread-4k-qd32 randread-4k-qd1 seqread-128k}
for j in $single_jobs $stripe_jobs $ceiling_jobs; do
	[ -f "$BENCH_DIR/$j.fio" ] || {
		echo "bench: no job file tests/bench/$j.fio" >&2
		exit 4
	}
done
for j in $train_jobs; do
	[[ $j =~ ^train-read-[1-9][0-9]*$ ]] || {
		echo "bench: train job '$j' is not train-read-<readers>" >&2
		exit 4
	}
done
nfio=$(($(wc -w <<<"$single_jobs $stripe_jobs $ceiling_jobs")))
ntrain=$(($(wc -w <<<"$train_jobs")))
[ $((nfio + ntrain)) -gt 0 ] || {
	echo "bench: every EVN_BENCH_<GROUP>_JOBS is empty" >&2
	exit 4
}
# The data set must fit in one target's XFS: the log takes up to 64 MiB, allocation ~5%;
# mkfs.xfs wants at least 300 MiB.
if [ "$ntrain" -gt 0 ]; then
	set_b=$(python3 "$BENCH_DIR/trainset.py" plan --bytes --files "$files") || exit 4
	need=$((set_b * 21 / 20 / 1048576 + 72))
	[ "$need" -ge 300 ] || need=300
	[ "$size" -ge "$need" ] || {
		echo "bench: the train group needs targets of at least $need MiB (XFS of 300 MiB" \
			"or more, holding $files files of $((set_b >> 20)) MiB in all): -s $need," \
			"or fewer EVN_BENCH_TRAIN_FILES, or EVN_BENCH_TRAIN_JOBS= to leave it out" >&2
		exit 4
	}
fi
# null_blk is memory-backed: the targets (1, 3, or 4 with train) and the ceiling's null_blk
# live in guest RAM, plus ~1 GiB for the rest (and the page cache of the training set)
nblk=1
[ -z "$stripe_jobs$train_jobs" ] || nblk=3
[ -z "$train_jobs" ] || nblk=4
[ -z "$ceiling_jobs" ] || nblk=$((nblk + 1))
mem=$((nblk * size + 1024 + (ntrain ? 512 : 0)))
if [ -z "${EVN_VM_MEM:-}" ] && [ "$mem" -gt 2048 ]; then
	export EVN_VM_MEM=${mem}M
fi

[ -n "$results" ] || results=$SRC/tests/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results" || exit 4
rm -f "$results/bench.txt" "$results/bench.json" "$results/bench.png" "$results/bench.dat"
cat >"$results/bench.env" <<EOF
EVN_BENCH_PAIRS=$pairs
EVN_BENCH_RUNTIME=$runtime
EVN_BENCH_SIZE_MB=$size
EVN_BENCH_SINGLE_JOBS='$single_jobs'
EVN_BENCH_STRIPE_JOBS='$stripe_jobs'
EVN_BENCH_TRAIN_JOBS='$train_jobs'
EVN_BENCH_CEILING_JOBS='$ceiling_jobs'
EVN_BENCH_TRAIN_FILES=$files
EOF

# per fio run: runtime + 1 s ramp + ~2 s fio start and teardown under TCG; per pass over the
# training set ~15 s for 3000 files, writing it twice and the 3 checked passes ~3 minutes: a
# timeout with room for a busy host, plus setup
nruns=$((pairs * 2 * nfio))
npasses=$((pairs * 3 * ntrain))
guest_to=$((300 + nruns * (runtime + 4)))
[ "$ntrain" = 0 ] || guest_to=$((guest_to + (npasses + 12) * (files / 100 + 10)))
# guest.sh has no TIMEOUT= line on purpose: the guest runner then uses EVN_TEST_TIMEOUT
export EVN_TEST_TIMEOUT=$guest_to
echo "bench: $nruns fio runs of ${runtime} s and $npasses passes over a training set" \
	"(rounds: $pairs); single {${single_jobs:-none}} x {evn, nvme-rdma}," \
	"stripe {${stripe_jobs:-none}} x {evn, dm-stripe}," \
	"train {${train_jobs:-none}} x {evn, dm-stripe, nvme-rdma}," \
	"ceiling {${ceiling_jobs:-none}} x {evn, null_blk}; results in $results"
"$SRC/tests/vm/run.sh" "${verbose[@]}" -r "$results" -t $((guest_to + 120)) bench/guest.sh
rc=$?

fio_dir=$results/bench/guest.sh/fio
if [ -d "$fio_dir" ]; then
	{
		# Figures depend on the machine: say which (the ratios did not
		# reproduce on another host of the same kind, issue 19 item 5).
		echo "host: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
			"$(nproc) CPUs, kernel $(uname -r); test VM kernel" \
			"$(sed -n "s/^KVER='\(.*\)'$/\1/p" "$results/rig.env" 2>/dev/null)," \
			"-smp ${EVN_VM_SMP:-2}"
		cat "$results/bench/guest.sh/devices.txt" 2>/dev/null
		EVN_BENCH_PAIRS=$pairs EVN_BENCH_RUNTIME=$runtime EVN_BENCH_SIZE_MB=$size \
			EVN_BENCH_SINGLE_JOBS=$single_jobs EVN_BENCH_STRIPE_JOBS=$stripe_jobs \
			EVN_BENCH_TRAIN_JOBS=$train_jobs EVN_BENCH_CEILING_JOBS=$ceiling_jobs \
			EVN_BENCH_TRAIN_FILES=$files \
			python3 "$BENCH_DIR/summarize.py" --png "$results/bench.png" "$fio_dir" \
			"$results/bench.json"
	} | tee "$results/bench.txt"
	src=${PIPESTATUS[0]}
	[ "$rc" != 0 ] || rc=$src
	[ ! -s "$results/bench.png" ] || echo "bench: chart in $results/bench.png"
fi
exit "$rc"
