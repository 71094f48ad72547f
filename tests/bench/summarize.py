#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""summarize.py - evn benchmark summary: per comparison group, medians, min/max, evn/peer
ratios, goals.

usage: summarize.py FIO_DIR [OUT_JSON]

FIO_DIR holds fio JSON reports named <group>.<job>.<side>.<round>.json (tests/bench/guest.sh
writes them): a group compares the side "evn" with one peer side, e.g.
  single.randread-4k-qd32.evn.1.json   single.randread-4k-qd32.nvme.1.json
  stripe.seqread-128k.evn.2.json       stripe.seqread-128k.dm.2.json
Reports named <job>.<side>.<round>.json (the older naming) belong to group "single".
Known groups: single (evn vs nvme-rdma), stripe (evn stripe vs dm-stripe); any other group
is summarized too, against its one non-evn side, without goals. Prints one table section per
group and, with OUT_JSON, writes the same figures as JSON.
Exit status: 0 figures complete (goals met or not), 1 missing or malformed reports.
"""
import glob
import json
import os
import statistics
import sys

# What each fio job yields: job -> [(metric key, label, unit, better)]. A job not listed here
# gets DEFAULT_METRICS, labelled with its name.
JOB_METRICS = {
    "randread-4k-qd32": [
        ("iops", "4k randread QD32", "IOPS", "higher"),
        ("lat_mean_us", "4k randread QD32 mean lat", "us", "lower"),
    ],
    "randread-4k-qd1": [
        ("lat_p50_us", "4k randread QD1 p50 lat", "us", "lower"),
        ("lat_p99_us", "4k randread QD1 p99 lat", "us", "lower"),
        ("iops", "4k randread QD1", "IOPS", "higher"),
    ],
    "seqread-128k": [
        ("bw_mib", "128k seqread QD8", "MiB/s", "higher"),
    ],
}
DEFAULT_METRICS = [
    ("iops", "%s", "IOPS", "higher"),
    ("bw_mib", "%s", "MiB/s", "higher"),
    ("lat_mean_us", "%s mean lat", "us", "lower"),
]

# Comparison groups, in the order the table shows them: the peer side (its name in report
# file names), how the table names it, and the goals on ratios evn/peer of medians,
# {(job, metric key): (op, ratio)}. Add a group here to give it a title and goals.
GROUPS = [
    ("single", {
        "title": "evn vs nvme-rdma, the same namespace of one target",
        "peer": "nvme", "peer_label": "nvme-rdma",
        "goals": {("randread-4k-qd32", "iops"): (">=", 0.9),
                  ("randread-4k-qd1", "lat_p50_us"): ("<=", 1.1)},
    }),
    ("stripe", {
        "title": "evn stripe vs dm-stripe, 3 columns of 3 targets, chunk 128 KiB",
        "peer": "dm", "peer_label": "dm-stripe",
        "goals": {("randread-4k-qd32", "iops"): (">=", 1.0),
                  ("seqread-128k", "bw_mib"): (">=", 1.0)},
    }),
]


def figures(path):
    """The metrics of one fio JSON report (one job, reads)."""
    with open(path) as f:
        text = f.read()
    # fio may print notes before the JSON object
    job = json.loads(text[text.index("{"):])["jobs"][0]
    if job["error"]:
        raise ValueError("%s: fio error %d" % (path, job["error"]))
    rd = job["read"]
    lat = rd.get("lat_ns", {})
    pct = lat.get("percentile") or rd["clat_ns"].get("percentile", {})

    def p(q):
        for k, v in pct.items():
            if abs(float(k) - q) < 1e-6:
                return v / 1000.0
        return None

    return {
        "iops": rd["iops"],
        "bw_mib": rd["bw_bytes"] / 2**20,
        "lat_mean_us": lat.get("mean", rd["clat_ns"]["mean"]) / 1000.0,
        "lat_p50_us": p(50),
        "lat_p99_us": p(99),
    }


def stats(values):
    return {
        "runs": [round(v, 3) for v in values],
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def load(fio_dir):
    """runs {group: {side: {job: {round: figures}}}}, job order per group, unusable reports."""
    runs, order, bad = {}, {}, []
    for path in sorted(glob.glob(os.path.join(fio_dir, "*.json"))):
        name = os.path.basename(path)[: -len(".json")]
        parts = name.split(".")
        if len(parts) == 3:
            parts.insert(0, "single")
        try:
            if len(parts) != 4 or not all(parts):
                raise ValueError("not <group>.<job>.<side>.<round>")
            group, job, side, rnd = parts
            fig = figures(path)
            runs.setdefault(group, {}).setdefault(side, {}).setdefault(job, {})[int(rnd)] = fig
            jobs = order.setdefault(group, [])
            if job not in jobs:
                jobs.append(job)
        except (ValueError, KeyError, IndexError, OSError) as e:
            bad.append("%s: %s" % (name, e))
    return runs, order, bad


def job_order(jobs):
    """Known jobs in JOB_METRICS order, then the others by name."""
    known = [j for j in JOB_METRICS if j in jobs]
    return known + sorted(j for j in jobs if j not in JOB_METRICS)


def summarize_group(name, sides, jobs, problems):
    """One group's description and rows, or None when it has no complete evn/peer pair."""
    conf = dict(GROUPS).get(name, {})
    peers = sorted(s for s in sides if s != "evn")
    peer = conf.get("peer")
    if peer is None:
        if len(peers) != 1:
            problems.append("group %s: want an evn side and one other, found %s"
                            % (name, ", ".join(sorted(sides)) or "none"))
            return None
        peer = peers[0]
    extra = [s for s in sides if s not in ("evn", peer)]
    if extra:
        problems.append("group %s: reports of unknown sides %s ignored" % (name, ", ".join(extra)))
    goals = conf.get("goals", {})
    g = {"group": name, "title": conf.get("title", name), "evn": "evn", "peer": peer,
         "peer_label": conf.get("peer_label", peer), "metrics": []}
    e_side, p_side = sides.get("evn", {}), sides.get(peer, {})
    for job in job_order(jobs):
        e, n = e_side.get(job, {}), p_side.get(job, {})
        rounds = sorted(set(e) & set(n))
        lonely = sorted(set(e) ^ set(n))
        if lonely:
            problems.append("group %s: %s: rounds %s lack their other side"
                            % (name, job, ", ".join(map(str, lonely))))
        for key, label, unit, better in JOB_METRICS.get(job, DEFAULT_METRICS):
            if "%s" in label:
                label = label % job
            ev = [e[r][key] for r in rounds if e[r][key] is not None]
            nv = [n[r][key] for r in rounds if n[r][key] is not None]
            if not ev or not nv:
                continue
            row = {"group": name, "job": job, "metric": key, "label": label, "unit": unit,
                   "better": better, "pairs": len(rounds), "evn": stats(ev), "peer": stats(nv)}
            row["ratio"] = round(row["evn"]["median"] / row["peer"]["median"], 3) \
                if row["peer"]["median"] else None
            # each pair on its own, to show the spread of the ratio
            row["pair_ratios"] = [round(e[r][key] / n[r][key], 3) for r in rounds
                                  if e[r][key] is not None and n[r][key]]
            goal = goals.get((job, key))
            if goal:
                op, target = goal
                row["goal"] = "%s %.2f" % (op, target)
                r = row["ratio"]
                row["goal_met"] = r is not None and (r >= target if op == ">=" else r <= target)
            g["metrics"].append(row)
    if not g["metrics"]:
        problems.append("group %s: no complete evn/%s pair" % (name, peer))
        return None
    g["pairs"] = max(r["pairs"] for r in g["metrics"])
    return g


def cell(row, side):
    s = row[side]
    fmt = "%.0f" if row["unit"] == "IOPS" else "%.1f"
    return ("%s [%s-%s]" % (fmt, fmt, fmt)) % (s["median"], s["min"], s["max"])


def print_table(groups):
    w = max(len(r["label"]) for g in groups for r in g["metrics"])
    w = max(w, len("workload (medians)"))
    cw = max([len(cell(r, s)) for g in groups for r in g["metrics"] for s in ("evn", "peer")]
             + [len("%s median [min-max]" % g["peer_label"]) for g in groups])
    met = total = 0
    for i, g in enumerate(groups):
        if i:
            print()
        print("[%s] %s: %d pair%s" % (g["group"], g["title"], g["pairs"],
                                      "" if g["pairs"] == 1 else "s"))
        print("%-*s  %6s  %*s  %*s  %6s  %s" % (
            w, "workload (medians)", "unit", cw, "evn median [min-max]",
            cw, "%s median [min-max]" % g["peer_label"], "ratio", "goal"))
        for r in g["metrics"]:
            goal = ""
            if "goal" in r:
                total += 1
                met += r["goal_met"]
                goal = "%s %s" % (r["goal"], "met" if r["goal_met"] else "MISSED")
            ratio = "%6.3f" % r["ratio"] if r["ratio"] is not None else "%6s" % "-"
            line = "%-*s  %6s  %*s  %*s  %s  %s" % (w, r["label"], r["unit"], cw, cell(r, "evn"),
                                                  cw, cell(r, "peer"), ratio, goal)
            print(line.rstrip())
    print()
    print("ratio = median(evn) / median(peer), per group; per-pair ratios in the JSON;"
          " goals met: %d of %d" % (met, total))


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 1
    fio_dir = sys.argv[1]
    runs, order, bad = load(fio_dir)
    if bad:
        print("summarize: unusable fio reports:\n  " + "\n  ".join(bad), file=sys.stderr)
    problems = []
    names = [n for n, _ in GROUPS if n in runs] + sorted(n for n in runs if n not in dict(GROUPS))
    groups = [g for g in (summarize_group(n, runs[n], order[n], problems) for n in names) if g]
    if problems:
        print("summarize: incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
    if not groups:
        print("summarize: no complete evn/peer pairs in %s" % fio_dir, file=sys.stderr)
        return 1
    print_table(groups)
    if len(sys.argv) == 3:
        out = {"groups": groups, "unusable": bad, "problems": problems}
        # run.sh exports its settings; the guest left the device description beside fio/
        out["settings"] = {k[len("EVN_BENCH_"):].lower(): v for k, v in os.environ.items()
                           if k.startswith("EVN_BENCH_")}
        try:
            with open(os.path.join(fio_dir, "..", "devices.txt")) as f:
                out["devices"] = f.read().splitlines()
        except OSError:
            pass
        with open(sys.argv[2], "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main())
