#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""summarize.py - evn benchmark summary: per comparison group and peer, medians, min/max,
evn/peer ratios, goals; optionally a chart of the ratios.

usage: summarize.py [--png PNG] FIO_DIR [OUT_JSON]

FIO_DIR holds reports named <group>.<job>.<side>.<round>.json (tests/bench/guest.sh writes
them): fio JSON reports, or the JSON of trainset.py read. A group compares the side "evn"
with each of its other sides (its peers), e.g.
  single.randread-4k-qd32.evn.1.json   single.randread-4k-qd32.nvme.1.json
  stripe.seqread-128k.evn.2.json       stripe.seqread-128k.dm.2.json
  train.train-read-4.evn.1.json        train.train-read-4.dm.1.json   train....nvme.1.json
Reports named <job>.<side>.<round>.json (the older naming) belong to group "single".
Known groups: single (evn vs nvme-rdma), stripe (evn stripe vs dm-stripe), train (evn
stripe vs dm-stripe and vs nvme-rdma on one target), ceiling (evn vs local null_blk); any
other group is summarized too, against each non-evn side, without goals. Prints one table
section per group and peer; with OUT_JSON writes the same figures as JSON; with --png draws
the ratios with gnuplot (tests/bench/chart.gp; its data goes to PNG's name with .dat).
Exit status: 0 figures complete (goals met or not), 1 missing or malformed reports, or the
chart failed.
"""
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

# What each job yields: job -> [(metric key, label, unit, better)]. A job not listed here
# gets DEFAULT_METRICS, labelled with its name; train-read-<R> jobs (trainset.py read with R
# readers) get TRAIN_METRICS.
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
TRAIN_JOB = re.compile(r"train-read-([1-9][0-9]*)$")
TRAIN_METRICS = [
    ("files_s", "file reads, %s readers", "files/s", "higher"),
    ("bw_mib", "file reads, %s readers", "MiB/s", "higher"),
    ("file_p99_ms", "file read p99 lat, %s readers", "ms", "lower"),
]

# Comparison groups, in the order the table shows them: a title, then one entry per peer
# side: its name in report file names, how the table names it, what the section heading adds
# when the group has several peers, and the goals on ratios evn/peer of medians,
# {(job, metric key): (op, ratio)}. Add a group here to give it a title and goals. A
# "ceiling" group's ratios are drawn on their own, logarithmic, scale.
GROUPS = [
    ("single", {
        "title": "evn vs nvme-rdma, the same namespace of one target",
        "peers": [("nvme", "nvme-rdma", "", {
            ("randread-4k-qd32", "iops"): (">=", 1.10),
            ("randread-4k-qd1", "lat_p50_us"): ("<=", 0.95),
            ("seqread-128k", "bw_mib"): (">=", 1.00)})],
    }),
    ("stripe", {
        "title": "evn stripe vs dm-stripe, 3 columns of 3 targets, chunk 128 KiB",
        "peers": [("dm", "dm-stripe", "", {("randread-4k-qd32", "iops"): (">=", 1.20)})],
    }),
    ("train", {
        "title": "XFS training set, random whole-file reads: evn stripe (3 targets)",
        "peers": [("dm", "dm-stripe", "vs dm-stripe (same targets, same file system)", {}),
                  ("nvme", "nvme-rdma", "vs nvme-rdma (a 4th target, own copy)", {})],
    }),
    ("ceiling", {
        "title": "the rig's ceiling: local null_blk, no RDMA; evn = a volume over target 0",
        "peers": [("nullb", "null_blk", "", {})],
        "ceiling": True,
    }),
]
# chart colours per group, in order; other groups grey
COLOURS = {"single": 0x3366cc, "stripe": 0x109618, "train": 0xff9900, "ceiling": 0x990099}


def figures(path):
    """The metrics of one report: a fio JSON report (one job, reads) or trainset.py's."""
    with open(path) as f:
        text = f.read()
    # fio may print notes before the JSON object
    doc = json.loads(text[text.index("{"):])
    if "trainset" in doc:
        t = doc["trainset"]
        if t["bad"]:
            raise ValueError("%s: %d bad files" % (path, t["bad"]))
        return {"files_s": t["files_per_s"], "bw_mib": t["mib_per_s"],
                "file_p50_ms": t["file_lat_ms"]["p50"], "file_p99_ms": t["file_lat_ms"]["p99"]}
    job = doc["jobs"][0]
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


def job_metrics(job):
    m = TRAIN_JOB.match(job)
    if m:
        return [(k, label % m.group(1), unit, better) for k, label, unit, better in TRAIN_METRICS]
    return [(k, label % job if "%s" in label else label, unit, better)
            for k, label, unit, better in JOB_METRICS.get(job, DEFAULT_METRICS)]


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
        except (ValueError, KeyError, IndexError, TypeError, OSError) as e:
            bad.append("%s: %s" % (name, e))
    return runs, order, bad


def job_order(jobs):
    """Known jobs in JOB_METRICS order, then the others by name."""
    known = [j for j in JOB_METRICS if j in jobs]
    return known + sorted(j for j in jobs if j not in JOB_METRICS)


def summarize_peer(name, conf, sides, jobs, peer, peer_label, vs, goals, problems):
    """One section, evn against one peer of group NAME, or None without a complete pair."""
    title = conf.get("title", name)
    if vs:
        title += ", " + vs
    g = {"group": name, "title": title, "evn": "evn", "peer": peer,
         "peer_label": peer_label, "metrics": []}
    if conf.get("ceiling"):
        g["ceiling"] = True
    e_side, p_side = sides.get("evn", {}), sides.get(peer, {})
    for job in job_order(jobs):
        e, n = e_side.get(job, {}), p_side.get(job, {})
        if not e and not n:
            continue
        rounds = sorted(set(e) & set(n))
        lonely = sorted(set(e) ^ set(n))
        if lonely:
            problems.append("group %s: %s: rounds %s lack their evn or %s side"
                            % (name, job, ", ".join(map(str, lonely)), peer))
        for key, label, unit, better in job_metrics(job):
            ev = [e[r][key] for r in rounds if e[r].get(key) is not None]
            nv = [n[r][key] for r in rounds if n[r].get(key) is not None]
            if not ev or not nv:
                continue
            row = {"group": name, "job": job, "metric": key, "label": label, "unit": unit,
                   "better": better, "pairs": len(rounds), "evn": stats(ev), "peer": stats(nv)}
            row["ratio"] = round(row["evn"]["median"] / row["peer"]["median"], 3) \
                if row["peer"]["median"] else None
            # each pair on its own, to show the spread of the ratio
            row["pair_ratios"] = [round(e[r][key] / n[r][key], 3) for r in rounds
                                  if e[r].get(key) is not None and n[r].get(key)]
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


def summarize_group(name, sides, jobs, problems):
    """The sections of one group: evn against each of its peers."""
    conf = dict(GROUPS).get(name, {})
    peers = conf.get("peers")
    if peers is None:
        peers = [(s, s, "vs " + s, {}) for s in sorted(sides) if s != "evn"]
        if not peers:
            problems.append("group %s: want an evn side and another, found %s"
                            % (name, ", ".join(sorted(sides)) or "none"))
    names = [p[0] for p in peers]
    extra = [s for s in sides if s != "evn" and s not in names]
    if extra:
        problems.append("group %s: reports of unknown sides %s ignored" % (name, ", ".join(extra)))
    out = []
    for peer, label, vs, goals in peers:
        if peer not in sides:
            # a known group may be run with fewer sides by hand; say so only if none is there
            continue
        g = summarize_peer(name, conf, sides, jobs, peer, label, vs, goals, problems)
        if g:
            out.append(g)
    if peers and not any(p in sides for p in names):
        problems.append("group %s: no report of its peer sides %s" % (name, ", ".join(names)))
    return out


def cell(row, side):
    s = row[side]
    fmt = "%.0f" if row["unit"] in ("IOPS", "files/s") else "%.1f"
    return ("%s [%s-%s]" % (fmt, fmt, fmt)) % (s["median"], s["min"], s["max"])


def print_table(groups):
    w = max(len(r["label"]) for g in groups for r in g["metrics"])
    w = max(w, len("workload (medians)"))
    uw = max([len(r["unit"]) for g in groups for r in g["metrics"]] + [len("unit")])
    cw = max([len(cell(r, s)) for g in groups for r in g["metrics"] for s in ("evn", "peer")]
             + [len("%s median [min-max]" % g["peer_label"]) for g in groups])
    met = total = 0
    for i, g in enumerate(groups):
        if i:
            print()
        print("[%s] %s: %d pair%s" % (g["group"], g["title"], g["pairs"],
                                      "" if g["pairs"] == 1 else "s"))
        print("%-*s  %*s  %*s  %*s  %6s  %s" % (
            w, "workload (medians)", uw, "unit", cw, "evn median [min-max]",
            cw, "%s median [min-max]" % g["peer_label"], "ratio", "goal"))
        for r in g["metrics"]:
            goal = ""
            if "goal" in r:
                total += 1
                met += r["goal_met"]
                goal = "%s %s" % (r["goal"], "met" if r["goal_met"] else "MISSED")
            ratio = "%6.3f" % r["ratio"] if r["ratio"] is not None else "%6s" % "-"
            line = "%-*s  %*s  %*s  %*s  %s  %s" % (w, r["label"], uw, r["unit"], cw,
                                                  cell(r, "evn"), cw, cell(r, "peer"), ratio,
                                                  goal)
            print(line.rstrip())
    print()
    print("ratio = median(evn) / median(peer), per group; per-pair ratios in the JSON;"
          " goals met: %d of %d" % (met, total))
    if any(g.get("ceiling") for g in groups):
        print("ceiling: absolute figures of local null_blk; its ratio is evn (a volume over"
              " one target, run alternately with it) / null_blk")


def chart(groups, png, note):
    """Write the ratios to PNG's .dat file and draw them with chart.gp (gnuplot)."""
    gp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chart.gp")
    dat = os.path.splitext(png)[0] + ".dat"
    blocks = ([g for g in groups if not g.get("ceiling")], [g for g in groups if g.get("ceiling")])
    counts = []
    with open(dat, "w") as f:
        f.write("# row\tlabel\tratio\tmin\tmax\tgoal\tcolour\tgoal text (summarize.py)\n")
        for b, block in enumerate(blocks):
            if b:
                f.write("\n\n")
            n = 0
            for g in block:
                for r in g["metrics"]:
                    if r["ratio"] is None:
                        continue
                    n += 1
                    pr = r["pair_ratios"] or [r["ratio"]]
                    goal = r.get("goal", "").split()
                    peer = "" if len(g["peers_of_group"]) == 1 else " vs " + g["peer_label"]
                    gtext = " (goal %s)" % " ".join(goal) if goal else ""
                    f.write("%d\t%s: %s [%s]%s%s\t%.4f\t%.4f\t%.4f\t%s\t%d\t%s\n" % (
                        n, g["group"], r["label"], r["unit"], peer, gtext, r["ratio"], min(pr),
                        max(pr),
                        goal[1] if goal else "NaN", COLOURS.get(g["group"], 0x888888),
                        " ".join(goal) or "-"))
            if not n:
                # gnuplot wants every index block to exist: one row it does not draw
                f.write("1\t-\tNaN\tNaN\tNaN\tNaN\t0\t-\n")
            counts.append(n)
    if not shutil.which("gnuplot"):
        print("summarize: gnuplot not installed (package gnuplot-nox): no %s" % png,
              file=sys.stderr)
        return False
    r = subprocess.run(["gnuplot", "-c", gp, dat, png, str(counts[0]), str(counts[1]), note],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode or not os.path.exists(png):
        print("summarize: gnuplot failed:\n%s" % r.stdout, file=sys.stderr)
        return False
    return True


def main():
    args = sys.argv[1:]
    png = None
    if len(args) >= 2 and args[0] == "--png":
        png, args = args[1], args[2:]
    if len(args) not in (1, 2) or args[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 1
    fio_dir = args[0]
    runs, order, bad = load(fio_dir)
    if bad:
        print("summarize: unusable reports:\n  " + "\n  ".join(bad), file=sys.stderr)
    problems = []
    names = [n for n, _ in GROUPS if n in runs] + sorted(n for n in runs if n not in dict(GROUPS))
    groups = []
    for n in names:
        sections = summarize_group(n, runs[n], order[n], problems)
        for s in sections:
            s["peers_of_group"] = [x["peer"] for x in sections]
        groups += sections
    if problems:
        print("summarize: incomplete:\n  " + "\n  ".join(problems), file=sys.stderr)
    if not groups:
        print("summarize: no complete evn/peer pairs in %s" % fio_dir, file=sys.stderr)
        return 1
    print_table(groups)
    settings = {k[len("EVN_BENCH_"):].lower(): v for k, v in os.environ.items()
                if k.startswith("EVN_BENCH_")}
    devices = []
    try:
        # the guest leaves the device description beside fio/
        with open(os.path.join(fio_dir, "..", "devices.txt")) as f:
            devices = f.read().splitlines()
    except OSError:
        pass
    ok = True
    if png:
        # under the title: kernel and CPUs from devices.txt, the date of the newest report
        newest = max(os.path.getmtime(p) for p in glob.glob(os.path.join(fio_dir, "*.json")))
        note = ", ".join(devices[0].split(", ")[:2]) + "; " if devices else ""
        note += time.strftime("%Y-%m-%d %H:%M", time.localtime(newest))
        ok = chart(groups, png, note)
    for g in groups:
        del g["peers_of_group"]
    if len(args) == 2:
        # run.sh exports its settings
        out = {"groups": groups, "unusable": bad, "problems": problems, "settings": settings}
        if devices:
            out["devices"] = devices
        with open(args[1], "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
    return 1 if bad or problems or not ok else 0


if __name__ == "__main__":
    sys.exit(main())
