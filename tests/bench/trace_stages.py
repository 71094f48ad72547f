#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""trace_stages.py - where the time of one 4 KiB read goes, from an ftrace function trace.

usage: trace_stages.py SIDE=TRACE...

Each TRACE is the text of /sys/kernel/tracing/trace, recorded with the function tracer while
one fio job read at queue depth 1 from one device, with at least these functions in
set_ftrace_filter (tests/bench/profile.sh sets them up):
  the driver's queue_rq (evn_queue_rq or nvme_rdma_queue_rq) and receive completion
  (evn_recv_done or nvme_rdma_recv_done), rxe_post_send, nvmet_rdma_recv_done,
  nvmet_rdma_queue_response, blk_mq_end_request.
SIDE says which driver: "evn" or "nvme". A cycle is one queue_rq to the next; it is cut at
the first of each of the other functions, in this order, into stages:
  driver submit                queue_rq -> rxe_post_send (the driver's submission)
  rxe: command to target       -> nvmet_rdma_recv_done (soft-RoCE carries the command)
  target: nvmet + null_blk     -> nvmet_rdma_queue_response (the target serves it)
  rxe: data + response         -> the driver's receive completion (data and response back)
  driver completion            -> blk_mq_end_request (the driver ends the request)
  wake fio, fio, syscalls      -> the next queue_rq (the block layer, aio, fio itself)
Cycles that miss a stage are skipped. Prints per stage and side the median in microseconds,
and the median cycle. Exit status 1 when a trace has no complete cycle.
"""
import re
import statistics
import sys

DRIVERS = {
    'evn': ('evn_queue_rq', 'evn_recv_done'),
    'nvme': ('nvme_rdma_queue_rq', 'nvme_rdma_recv_done'),
}
STAGES = ['driver submit', 'rxe: command to target', 'target: nvmet + null_blk',
          'rxe: data + response', 'driver completion', 'wake fio, fio, syscalls']
LINE = re.compile(r'\s*\S.*?\[(\d+)\]\s+\S+\s+([\d.]+): (\w+)')


def events(path):
    out = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if m:
                out.append((float(m.group(2)) * 1e6, m.group(3)))
    return out


def cycles(path, side):
    submit, complete = DRIVERS[side]
    marks = ['rxe_post_send', 'nvmet_rdma_recv_done', 'nvmet_rdma_queue_response',
             complete, 'blk_mq_end_request']
    ev = events(path)
    starts = [i for i, e in enumerate(ev) if e[1] == submit]
    found = []
    for a, b in zip(starts, starts[1:]):
        times = [ev[a][0]]
        pos = a + 1
        for m in marks:
            while pos < b and ev[pos][1] != m:
                pos += 1
            if pos >= b:
                break
            times.append(ev[pos][0])
            pos += 1
        else:
            times.append(ev[b][0])
            found.append([t1 - t0 for t0, t1 in zip(times, times[1:])])
    return found


def main(argv):
    if not argv or any('=' not in a for a in argv):
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 1
    sides = []
    for a in argv:
        side, path = a.split('=', 1)
        if side not in DRIVERS:
            print(f'trace_stages.py: unknown side {side!r} (evn or nvme)', file=sys.stderr)
            return 1
        c = cycles(path, side)
        if not c:
            print(f'trace_stages.py: no complete cycle in {path}', file=sys.stderr)
            return 1
        sides.append((side, c))
    print('%-28s' % 'stage (median, us)' + ''.join('%12s' % s for s, _ in sides))
    for i, name in enumerate(STAGES):
        print('%-28s' % name + ''.join('%12.0f' % statistics.median(x[i] for x in c)
                                       for _, c in sides))
    print('%-28s' % 'whole cycle' + ''.join('%12.0f' % statistics.median(sum(x) for x in c)
                                            for _, c in sides))
    print('%-28s' % 'cycles' + ''.join('%12d' % len(c) for _, c in sides))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
