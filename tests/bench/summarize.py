#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""summarize.py - evn benchmark summary: medians, min/max, evn/nvme ratios, goals.

usage: summarize.py FIO_DIR [OUT_JSON]

FIO_DIR holds fio JSON reports named <job>.<evn|nvme>.<round>.json (tests/bench/guest.sh
writes them). Prints a table and, with OUT_JSON, writes the same figures as JSON.
Exit status: 0 figures complete (goals met or not), 1 missing or malformed reports.
"""
import glob
import json
import os
import statistics
import sys

# (job, metric key, label, unit, better, goal as (op, ratio) or None)
METRICS = [
    ("randread-4k-qd32", "iops", "4k randread QD32", "IOPS", "higher", (">=", 0.9)),
    ("randread-4k-qd32", "lat_mean_us", "4k randread QD32 mean lat", "us", "lower", None),
    ("randread-4k-qd1", "lat_p50_us", "4k randread QD1 p50 lat", "us", "lower", ("<=", 1.1)),
    ("randread-4k-qd1", "lat_p99_us", "4k randread QD1 p99 lat", "us", "lower", None),
    ("randread-4k-qd1", "iops", "4k randread QD1", "IOPS", "higher", None),
    ("seqread-128k", "bw_mib", "128k seqread QD8", "MiB/s", "higher", None),
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


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 1
    fio_dir = sys.argv[1]
    runs = {}  # (job, dev) -> {round: figures}
    bad = []
    for path in sorted(glob.glob(os.path.join(fio_dir, "*.json"))):
        name = os.path.basename(path)[: -len(".json")]
        try:
            job, dev, rnd = name.rsplit(".", 2)
            runs.setdefault((job, dev), {})[int(rnd)] = figures(path)
        except (ValueError, KeyError, IndexError) as e:
            bad.append("%s: %s" % (name, e))
    if bad:
        print("summarize: unusable fio reports:\n  " + "\n  ".join(bad), file=sys.stderr)
    rows = []
    for job, key, label, unit, better, goal in METRICS:
        e, n = runs.get((job, "evn"), {}), runs.get((job, "nvme"), {})
        rounds = sorted(set(e) & set(n))
        ev = [e[r][key] for r in rounds if e[r][key] is not None]
        nv = [n[r][key] for r in rounds if n[r][key] is not None]
        if not ev or not nv:
            continue
        row = {"job": job, "metric": key, "label": label, "unit": unit, "better": better,
               "pairs": len(rounds), "evn": stats(ev), "nvme": stats(nv)}
        row["ratio"] = round(row["evn"]["median"] / row["nvme"]["median"], 3)
        # each pair on its own, to show the spread of the ratio
        row["pair_ratios"] = [round(e[r][key] / n[r][key], 3) for r in rounds
                              if e[r][key] is not None and n[r][key]]
        if goal:
            op, target = goal
            row["goal"] = "%s %.2f" % (op, target)
            row["goal_met"] = row["ratio"] >= target if op == ">=" else row["ratio"] <= target
        rows.append(row)

    if not rows:
        print("summarize: no complete evn/nvme pairs in %s" % fio_dir, file=sys.stderr)
        return 1
    w = max(len(r["label"]) for r in rows)
    print("%-*s  %6s  %23s  %23s  %6s  %s" % (w, "workload (evn/nvme, medians)", "unit",
                                             "evn median [min-max]", "nvme median [min-max]",
                                             "ratio", "goal"))
    for r in rows:
        def cell(s):
            fmt = "%.0f" if r["unit"] == "IOPS" else "%.1f"
            return ("%s [%s-%s]" % (fmt, fmt, fmt)) % (s["median"], s["min"], s["max"])
        goal = ""
        if "goal" in r:
            goal = "%s %s" % (r["goal"], "met" if r["goal_met"] else "MISSED")
        print("%-*s  %6s  %23s  %23s  %6.3f  %s" % (w, r["label"], r["unit"], cell(r["evn"]),
                                                   cell(r["nvme"]), r["ratio"], goal))
    print("pairs: %d; ratio = median(evn) / median(nvme); per-pair ratios in the JSON"
          % max(r["pairs"] for r in rows))
    if len(sys.argv) == 3:
        out = {"metrics": rows, "unusable": bad}
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
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
