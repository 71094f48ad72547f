#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - evn benchmark, host side: boot one VM (tests/vm/run.sh) running tests/bench/guest.sh,
# then print, per comparison group, evn vs its peer: medians and ratios (tests/bench/summarize.py).
# Groups: single (evn vs nvme-rdma, one target), stripe (evn stripe vs dm-stripe, 3 targets).
#
# usage: tests/bench/run.sh [-v] [-r RESULTS_DIR] [-n PAIRS] [-t RUNTIME_S] [-s SIZE_MB]
#   -n PAIRS     rounds of evn/peer pairs per job (default 3)
#   -t SECONDS   fio runtime of each run (default 8)
#   -s MiB       size of each target's null_blk namespace (default 256, at least 8)
#   -r DIR       results directory (default tests/results/bench-<YYYYmmdd-HHMMSS>)
#   -v           stream the guest console
# environment: EVN_BENCH_SINGLE_JOBS (default "randread-4k-qd32 randread-4k-qd1 seqread-128k"),
#   EVN_BENCH_STRIPE_JOBS (default "randread-4k-qd32 seqread-128k"): the fio jobs of each group,
#   an empty list leaves the group out; and what tests/vm/run.sh takes (KVER, EVN_CACHE,
#   EVN_VM_SMP, EVN_VM_MEM, ...).
# output: RESULTS_DIR/bench.txt (the table), bench.json (the figures), bench/guest.sh/ (guest
#   log, dmesg, devices.txt, dm-table.txt, target.json, raw fio JSON under fio/).
# exit: 0 figures complete, 1 a run failed, 2-4 as tests/vm/run.sh (panic, timeout, rig error).
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SRC=${BENCH_DIR%/tests/bench}

usage() {
	sed -n '7,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&$(($1 ? 2 : 1))
	exit "$1"
}

pairs=3 runtime=8 size=256 results='' verbose=()
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
for v in "$pairs" "$runtime" "$size"; do
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
	echo "bench: EVN_BENCH_JOBS is gone: set EVN_BENCH_SINGLE_JOBS, EVN_BENCH_STRIPE_JOBS" >&2
	exit 4
}
# set but empty leaves a group out
single_jobs=${EVN_BENCH_SINGLE_JOBS-randread-4k-qd32 randread-4k-qd1 seqread-128k}
stripe_jobs=${EVN_BENCH_STRIPE_JOBS-randread-4k-qd32 seqread-128k}
for j in $single_jobs $stripe_jobs; do
	[ -f "$BENCH_DIR/$j.fio" ] || {
		echo "bench: no job file tests/bench/$j.fio" >&2
		exit 4
	}
done
njobs=$(($(wc -w <<<"$single_jobs $stripe_jobs")))
[ "$njobs" -gt 0 ] || {
	echo "bench: EVN_BENCH_SINGLE_JOBS and EVN_BENCH_STRIPE_JOBS are both empty" >&2
	exit 4
}
# null_blk is memory-backed: three namespaces live in guest RAM, plus ~1 GiB for the rest
if [ -z "${EVN_VM_MEM:-}" ] && [ $((3 * size + 1024)) -gt 2048 ]; then
	export EVN_VM_MEM=$((3 * size + 1024))M
fi

[ -n "$results" ] || results=$SRC/tests/results/bench-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results" || exit 4
rm -f "$results/bench.txt" "$results/bench.json"
cat >"$results/bench.env" <<EOF
EVN_BENCH_PAIRS=$pairs
EVN_BENCH_RUNTIME=$runtime
EVN_BENCH_SIZE_MB=$size
EVN_BENCH_SINGLE_JOBS='$single_jobs'
EVN_BENCH_STRIPE_JOBS='$stripe_jobs'
EOF

# per run: runtime + 1 s ramp + ~2 s fio start and teardown under TCG; plus setup
nruns=$((pairs * 2 * njobs))
guest_to=$((300 + nruns * (runtime + 4)))
# guest.sh has no TIMEOUT= line on purpose: the guest runner then uses EVN_TEST_TIMEOUT
export EVN_TEST_TIMEOUT=$guest_to
echo "bench: $nruns fio runs of ${runtime} s (pairs per job: $pairs);" \
	"single {${single_jobs:-none}} x {evn, nvme-rdma}," \
	"stripe {${stripe_jobs:-none}} x {evn, dm-stripe}; results in $results"
"$SRC/tests/vm/run.sh" "${verbose[@]}" -r "$results" -t $((guest_to + 120)) bench/guest.sh
rc=$?

fio_dir=$results/bench/guest.sh/fio
if [ -d "$fio_dir" ]; then
	{
		cat "$results/bench/guest.sh/devices.txt" 2>/dev/null
		EVN_BENCH_PAIRS=$pairs EVN_BENCH_RUNTIME=$runtime EVN_BENCH_SIZE_MB=$size \
			EVN_BENCH_SINGLE_JOBS=$single_jobs EVN_BENCH_STRIPE_JOBS=$stripe_jobs \
			python3 "$BENCH_DIR/summarize.py" "$fio_dir" "$results/bench.json"
	} | tee "$results/bench.txt"
	src=${PIPESTATUS[0]}
	[ "$rc" != 0 ] || rc=$src
fi
exit "$rc"
