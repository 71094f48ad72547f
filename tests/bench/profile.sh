#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# profile.sh - guest side of the evn profile: where the time of a 4 KiB random read goes, evn
# against the kernel's nvme-rdma host on the same target. Run it in the VM rig:
#   tests/vm/run.sh -r DIR bench/profile.sh
# One nvmet-rdma target (256 MiB memory-backed null_blk), the nvme-rdma host and evn (a volume
# over the whole namespace) connected to it. Then, alternating the sides, in PROFILE_ROUNDS
# rounds (default 2):
#   1. no tracing, fio 4 KiB random reads for 5 s at queue depth 1 and 32: IOPS, how busy each
#      CPU was (/proc/stat), and per read the softirqs by kind (/proc/softirqs) and the
#      function-call and reschedule IPIs (/proc/interrupts);
#   2. once per side, 1 s at queue depth 1 under the ftrace function tracer (the driver's,
#      soft-RoCE's and nvmet's main functions, scheduler switches and wakeups, softirq
#      entries): tests/bench/trace_stages.py cuts each read into stages.
# perf does not work here: under TCG its samples land in the idle loop. The traced timings
# carry the tracer's own cost (a few us per traced call); compare the sides, not the totals.
# Output: profile.txt (both tables) and trace.<side>.txt next to this test's log.
# shellcheck disable=SC2034 # read by tests/vm/run.sh
DESCRIPTION="profile: where a 4 KiB read's time goes, evn vs nvme-rdma"
TIMEOUT=300

# shellcheck source-path=SCRIPTDIR source=../vm/rc
. "${BASH_SOURCE[0]%/*}/../vm/rc"
trap _teardown_on_exit EXIT

: "${PROFILE_ROUNDS:=2}"
res=${EVN_REASON_FILE%/*}
[ "$res" != /dev ] || res=/tmp/evn-profile
mkdir -p "$res" || _fail "cannot create $res"
T=/sys/kernel/tracing

_require_file "$EVN_KO" "$EVNADM" "$EVN_SRC/tests/bench/trace_stages.py"
_require_cmd fio nvme rdma ip python3
_require_modules rdma_rxe nvmet_rdma nvme_rdma null_blk dummy configfs

_run _rxe_setup || _fail "soft-RoCE setup failed"
_run _targets_create 1 256 || _fail "creating the nvmet-rdma target failed"
nvme=$(_run _nvme_host_connect 0) || _fail "nvme connect failed"
_run _evn_load || _fail "insmod failed"
_expect 0 _evn_target_add p0 0
_expect 0 "$EVNADM" volume create profile extent p0:0:256M
declare -A dev=([evn]=$out [nvme]=$nvme)
for s in evn nvme; do
	echo none >"/sys/block/${dev[$s]#/dev/}/queue/scheduler" 2>/dev/null
done
_run fio --name=precondition --filename=/dev/nullb0 --rw=write --bs=1M --direct=1 \
	--ioengine=libaio --iodepth=8 --output=/dev/null || _fail "preconditioning failed"

# _snap FILE - the counters the untraced runs compare
_snap() {
	{
		grep '^cpu[0-9]' /proc/stat
		grep -E '^ *(CAL|RES):' /proc/interrupts
		cat /proc/softirqs
	} >"$1"
}

# _fio DEV QD SECONDS REPORT - 4 KiB random reads, JSON report
_fio() {
	fio --name=profile --filename="$1" --rw=randread --bs=4k --iodepth="$2" \
		--ioengine=libaio --direct=1 --time_based --runtime="$3" --randrepeat=0 \
		--norandommap --output-format=json --output="$4"
}

# counters.py SIDE QD FIO_JSON BEFORE AFTER - one line: IOPS, busy % per CPU, per read:
# softirqs by kind and IPIs
cat >/tmp/evn-profile-counters.py <<'PY'
import json, sys
side, qd, rep, before, after = sys.argv[1:]
read = json.load(open(rep))['jobs'][0]['read']
ios = read['total_ios']
if not ios:
    sys.exit(f'{side}: no reads completed')
def counters(path):
    c = {}
    for line in open(path):
        f = line.split()
        if not f:
            continue
        k = f[0].rstrip(':')
        if k.startswith('cpu'):
            v = [int(x) for x in f[1:]]
            c[k] = (sum(v), v[3] + v[4])
        elif k in ('CAL', 'RES', 'TASKLET', 'IRQ_POLL', 'NET_RX', 'BLOCK', 'TIMER', 'SCHED'):
            c[k] = sum(int(x) for x in f[1:] if x.isdigit())
    return c
a, b = counters(before), counters(after)
out = [f'{side:5} QD{qd:<3} {read["iops"]:7.0f} IOPS']
for k in sorted(x for x in b if x.startswith('cpu')):
    total, idle = b[k][0] - a[k][0], b[k][1] - a[k][1]
    out.append(f'{k} {100 * (total - idle) / max(total, 1):3.0f}% busy')
out.append('per read:')
for k in ('TASKLET', 'IRQ_POLL', 'SCHED', 'TIMER', 'CAL', 'RES'):
    out.append(f'{k} {(b[k] - a[k]) / ios:.2f}')
print(' '.join(out))
PY

{
	echo "profile: kernel $(uname -r), $(nproc) CPUs; evn ${dev[evn]}, nvme-rdma ${dev[nvme]}," \
		"one target; untraced 4 KiB random reads, 5 s each"
	for ((r = 1; r <= PROFILE_ROUNDS; r++)); do
		order=(evn nvme)
		[ $((r % 2)) = 1 ] || order=(nvme evn)
		for qd in 1 32; do
			for s in "${order[@]}"; do
				_snap /tmp/evn-profile.a
				_fio "${dev[$s]}" "$qd" 5 /tmp/evn-profile.json ||
					_fail "fio on ${dev[$s]} failed"
				_snap /tmp/evn-profile.b
				python3 /tmp/evn-profile-counters.py "$s" "$qd" /tmp/evn-profile.json \
					/tmp/evn-profile.a /tmp/evn-profile.b || _fail "counting failed"
			done
		done
	done
} | tee "$res/profile.txt"
[ "${PIPESTATUS[0]}" = 0 ] || _fail "the untraced runs failed"

[ -d $T/events ] || mount -t tracefs nodev $T || _fail "cannot mount tracefs"
funcs=(evn_queue_rq evn_ctrl_submit evn_send_done evn_recv_done nvme_rdma_queue_rq
	nvme_rdma_send_done nvme_rdma_recv_done rxe_post_send rxe_rcv rxe_requester
	rxe_responder rxe_completer nvmet_rdma_recv_done nvmet_rdma_queue_response
	nvmet_rdma_send_done nvmet_bdev_execute_rw null_queue_rq blk_mq_end_request)
printf '%s\n' "${funcs[@]}" >$T/set_ftrace_filter || _fail "setting the ftrace filter failed"
echo function >$T/current_tracer || _fail "no function tracer"
for e in sched/sched_switch sched/sched_wakeup irq/softirq_entry; do
	echo 1 >"$T/events/$e/enable" || _fail "cannot enable event $e"
done
echo 8192 >$T/buffer_size_kb
for s in evn nvme; do
	echo >$T/trace
	echo 1 >$T/tracing_on
	_fio "${dev[$s]}" 1 1 /dev/null || _fail "traced fio on ${dev[$s]} failed"
	echo 0 >$T/tracing_on
	cp $T/trace "$res/trace.$s.txt" || _fail "saving the trace failed"
done
echo nop >$T/current_tracer
echo 0 >$T/events/enable
echo >$T/set_ftrace_filter
{
	echo
	echo "profile: one 4 KiB read at queue depth 1 under the function tracer, cut into stages"
	python3 "$EVN_SRC/tests/bench/trace_stages.py" evn="$res/trace.evn.txt" \
		nvme="$res/trace.nvme.txt"
} | tee -a "$res/profile.txt"
[ "${PIPESTATUS[0]}" = 0 ] || _fail "cutting the traces into stages failed"

_expect 0 "$EVNADM" volume del profile
_expect 0 "$EVNADM" target del p0
_run rmmod evn || _fail "rmmod evn failed"
_dmesg_check || _fail "kernel warnings in dmesg"
echo "ok"
