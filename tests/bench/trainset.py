#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""trainset.py - a training-style data set: write it once, read it back like a data loader.

usage: trainset.py plan  [--files N] [--classes C] [--seed S] [--bytes]
       trainset.py write DIR [--files N] [--classes C] [--seed S]
       trainset.py read  DIR [--readers R] [--order-seed O] [--verify] [--drop-caches]
                             [--json OUT]

plan   prints the number of files and their total size (--bytes: only the total in bytes),
       without writing anything.
write  fills DIR (an empty directory, e.g. a fresh file system) with N files of random data
       in C class subdirectories, like an image-classification set: DIR/class042/img001234.bin,
       file i in class i % C. Sizes are log-normal (median 88 KiB, sigma 0.75: mean ~115 KiB)
       clipped to 4 KiB..1 MiB. Sizes and contents depend only on the seed. Last, it writes
       DIR/manifest.txt: "sha256 size path" per file.
read   reads every file of DIR/manifest.txt once, whole, in a random order (shuffled with
       --order-seed), with R reader threads taking the next file from the shared order (reads
       release the GIL: R reads are in flight at once). Plain buffered reads (open, read to EOF,
       close), so the kernel's readahead and page cache work as for a data loader; with
       --drop-caches (root) it first writes 3 to /proc/sys/vm/drop_caches so that nothing is
       cached (mount read-only and drop caches before every timed pass). Every file's size is
       checked; with --verify also its SHA-256 (costs CPU: a timed pass may leave it out).
       Prints one line, and with --json the figures: files/s, MiB/s, per-file latency (open to
       close) mean, p50, p99, max in ms.

Python 3 standard library only; usable outside the VM, e.g. on a real evn volume:
  trainset.py write /mnt/train && umount /mnt/train && mount -o ro,norecovery /dev/evn0 /mnt/train
  trainset.py read /mnt/train --readers 4 --drop-caches --verify --json pass1.json
Exit status: 0 success, 1 a file is missing or differs (or DIR is not empty for write),
2 usage error.
"""
import argparse
import hashlib
import json
import math
import os
import random
import struct
import sys
import threading
import time

MANIFEST = "manifest.txt"
BLOCK = 4096
MIN_SIZE, MAX_SIZE = 4 << 10, 1 << 20
MEDIAN, SIGMA = 88 << 10, 0.75


def plan(files, classes, seed):
    """[(relative path, size)] of the data set: sizes drawn from their own generator."""
    rng = random.Random(seed)
    mu = math.log(MEDIAN)
    out = []
    for i in range(files):
        size = int(rng.lognormvariate(mu, SIGMA))
        size = min(MAX_SIZE, max(MIN_SIZE, size))
        out.append(("class%03d/img%06d.bin" % (i % classes, i), size))
    return out


def cmd_plan(a):
    p = plan(a.files, a.classes, a.seed)
    sizes = sorted(s for _, s in p)
    total = sum(sizes)
    if a.bytes:
        print(total)
        return 0
    print("%d files in %d classes, %.1f MiB: size min %.1f KiB, median %.1f KiB, mean %.1f KiB,"
          " max %.1f KiB" % (len(p), min(a.classes, a.files), total / 2**20, sizes[0] / 1024,
                             sizes[len(sizes) // 2] / 1024, total / len(p) / 1024,
                             sizes[-1] / 1024))
    return 0


def cmd_write(a):
    if os.path.exists(os.path.join(a.dir, MANIFEST)):
        print("trainset: %s already holds a data set" % a.dir, file=sys.stderr)
        return 1
    p = plan(a.files, a.classes, a.seed)
    # Contents: every 4 KiB block of file i starts with (i, its offset), the rest is a
    # slice of a random pool at a random offset: no two blocks of the set are the same, and
    # making them costs little CPU (random.randbytes per file is slow under emulation).
    rng = random.Random("%d-data" % a.seed)
    pool = rng.randbytes(2 * MAX_SIZE)
    lines = []
    total = 0
    t0 = time.monotonic()
    for c in range(min(a.classes, a.files)):
        os.makedirs(os.path.join(a.dir, "class%03d" % c), exist_ok=True)
    for i, (rel, size) in enumerate(p):
        off = rng.randrange(MAX_SIZE)
        data = b"".join(struct.pack("<QQ", i, k) + pool[off + k + 16:off + k + BLOCK]
                        for k in range(0, size, BLOCK))[:size]
        fd = os.open(os.path.join(a.dir, rel), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        lines.append("%s %d %s\n" % (hashlib.sha256(data).hexdigest(), size, rel))
        total += size
    with open(os.path.join(a.dir, MANIFEST), "w") as f:
        f.write("# trainset.py files=%d classes=%d seed=%d bytes=%d\n"
                % (a.files, a.classes, a.seed, total))
        f.writelines(lines)
    os.sync()
    t = time.monotonic() - t0
    st = os.statvfs(a.dir)
    print("wrote %d files, %.1f MiB in %.1f s (%.1f MiB/s, synced); file system %.0f%% full"
          % (len(p), total / 2**20, t, total / 2**20 / t,
             100.0 * (1 - st.f_bavail / st.f_blocks) if st.f_blocks else 0))
    return 0


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, int(math.ceil(q / 100.0 * len(sorted_values))) - 1))
    return sorted_values[k]


def cmd_read(a):
    try:
        with open(os.path.join(a.dir, MANIFEST)) as f:
            entries = [ln.split(" ", 2) for ln in f if not ln.startswith("#")]
        entries = [(os.path.join(a.dir, rel.rstrip("\n")), int(size), digest)
                   for digest, size, rel in entries]
    except (OSError, ValueError) as e:
        print("trainset: cannot read the manifest of %s: %s" % (a.dir, e), file=sys.stderr)
        return 1
    if not entries:
        print("trainset: %s: empty manifest" % a.dir, file=sys.stderr)
        return 1
    if a.drop_caches:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    order = list(range(len(entries)))
    random.Random(a.order_seed).shuffle(order)
    bufsize = max(s for _, s, _ in entries) + 4096
    lock = threading.Lock()
    state = {"next": 0}
    lats, bad = [], []

    def reader():
        buf = bytearray(bufsize)
        mine = []
        while True:
            with lock:
                n = state["next"]
                state["next"] = n + 1
            if n >= len(order):
                break
            path, size, digest = entries[order[n]]
            t = time.perf_counter()
            try:
                fd = os.open(path, os.O_RDONLY)
                try:
                    got = 0
                    while True:
                        r = os.readv(fd, [memoryview(buf)[got:]])
                        if r == 0 or got + r >= bufsize:
                            got += r
                            break
                        got += r
                finally:
                    os.close(fd)
            except OSError as e:
                bad.append("%s: %s" % (path, e))
                continue
            mine.append(time.perf_counter() - t)
            if got != size:
                bad.append("%s: %d bytes, manifest says %d" % (path, got, size))
            elif a.verify and hashlib.sha256(memoryview(buf)[:got]).hexdigest() != digest:
                bad.append("%s: SHA-256 differs" % path)
        with lock:
            lats.extend(mine)

    threads = [threading.Thread(target=reader) for _ in range(a.readers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - t0
    nbytes = sum(s for _, s, _ in entries)
    lats.sort()
    res = {
        "dir": a.dir, "readers": a.readers, "order_seed": a.order_seed, "verify": a.verify,
        "drop_caches": a.drop_caches, "files": len(entries), "bytes": nbytes,
        "seconds": round(secs, 4), "files_per_s": round(len(entries) / secs, 3),
        "mib_per_s": round(nbytes / 2**20 / secs, 3),
        "file_lat_ms": {"mean": round(sum(lats) / max(1, len(lats)) * 1e3, 3),
                        "p50": round(percentile(lats, 50) * 1e3, 3),
                        "p99": round(percentile(lats, 99) * 1e3, 3),
                        "max": round(lats[-1] * 1e3 if lats else 0.0, 3)},
        "bad": len(bad),
    }
    print("read %d files, %.1f MiB in %.2f s with %d readers: %.1f files/s, %.1f MiB/s, "
          "file latency p50 %.2f ms p99 %.2f ms%s" % (
              len(entries), nbytes / 2**20, secs, a.readers, res["files_per_s"],
              res["mib_per_s"], res["file_lat_ms"]["p50"], res["file_lat_ms"]["p99"],
              ", every SHA-256 checked" if a.verify else ", sizes checked"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"trainset": res}, f, indent=1)
            f.write("\n")
    if bad:
        print("trainset: %d of %d files bad:\n  %s" % (len(bad), len(entries),
                                                       "\n  ".join(sorted(bad)[:20])),
              file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(
        description="A training-style data set: write it once, read it back like a loader.",
        epilog="See the top of this file for details.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("plan", "write"):
        s = sub.add_parser(name)
        if name == "write":
            s.add_argument("dir")
        s.add_argument("--files", type=int, default=3000, help="number of files (3000)")
        s.add_argument("--classes", type=int, default=100, help="class directories (100)")
        s.add_argument("--seed", type=int, default=2026, help="sizes and contents (2026)")
        if name == "plan":
            s.add_argument("--bytes", action="store_true", help="print only the total bytes")
    s = sub.add_parser("read")
    s.add_argument("dir")
    s.add_argument("--readers", type=int, default=4, help="reader threads (4)")
    s.add_argument("--order-seed", type=int, default=1, help="shuffles the order (1)")
    s.add_argument("--verify", action="store_true", help="check every SHA-256, not only sizes")
    s.add_argument("--drop-caches", action="store_true",
                   help="echo 3 >/proc/sys/vm/drop_caches first (root)")
    s.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()
    for k in ("files", "classes", "readers"):
        if getattr(a, k, 1) < 1:
            ap.error("--%s must be at least 1" % k)
    return {"plan": cmd_plan, "write": cmd_write, "read": cmd_read}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
