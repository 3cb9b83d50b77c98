#!/usr/bin/env python3
"""Pathological lines: `pointillist ingest` on the file make_pathological.py writes
(megabyte captions, 85,000 and 300,000 utterances, 100,000 caption words against
100,000 unrelated spoken words, a trace of a million points, a 23 MB line), against
orjson.loads of every line, in the same run, alternating, best of --repeat.

Runs with the default --max-line-bytes (4 MiB: the lines over it are rejected without
being read whole) and, to show that memory follows the limit and not the file, with
--max-line-bytes 64 MiB (every line is decoded and stored).

Target: peak RSS < 300 MB with the default limit. Exit 0 pass, 1 fail, 2 error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

RSS_LIMIT_MB = 300.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workdir", default="/tmp/pointillist-bench")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--binary", default=bench.DEFAULT_BINARY)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    path = os.path.join(args.workdir, "pathological.jsonl")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_pathological.py"), path], check=True)
    size_mb = os.path.getsize(path) / 1e6
    db = os.path.join(args.workdir, "pathological.sqlite")
    limits = [("default (4 MiB)", []), ("64 MiB", ["--max-line-bytes", str(64 << 20)])]
    best = {name: None for name, _ in limits}
    orjson_best = None
    for _ in range(args.repeat):
        bench.warm_cache(path)
        t = bench.time_orjson(path)
        orjson_best = t if orjson_best is None else min(orjson_best, t)
        for name, extra in limits:
            bench.warm_cache(path)
            run = bench.run_ingest(args.binary, db, path, args.workdir, extra)
            if run["rc"] != 0:
                print(f"ingest failed ({run['rc']}): {run['stderr']}", file=sys.stderr)
                return 2
            old = best[name]
            best[name] = run if old is None else {**run, "seconds": min(old["seconds"], run["seconds"]),
                                                  "rss_mb": max(old["rss_mb"], run["rss_mb"])}
    print(f"pathological file: {size_mb:.1f} MB, {args.repeat} rounds, best time, largest RSS")
    print(f"{'contender':<28}{'seconds':>9}{'MB/s':>9}{'peak RSS MB':>13}{'ingest/orjson':>15}")
    print(f"{'orjson.loads (parse only)':<28}{orjson_best:>9.2f}{size_mb / orjson_best:>9.1f}{'':>13}{'':>15}")
    for name, _ in limits:
        r = best[name]
        ratio = orjson_best / r["seconds"]
        print(f"{'ingest, limit ' + name:<28}{r['seconds']:>9.2f}{size_mb / r['seconds']:>9.1f}{r['rss_mb']:>13.1f}{ratio:>14.2f}x")
    rss = best[limits[0][0]]["rss_mb"]
    passed = rss < RSS_LIMIT_MB
    print(f"target: peak RSS < {RSS_LIMIT_MB:.0f} MB with the default limit: {rss:.1f} MB {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
