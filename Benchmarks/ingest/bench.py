#!/usr/bin/env python3
"""Ingest throughput benchmark for `pointillist ingest`.

For each corpus size, on the same generated JSONL file(s), measures:

  (a) json.loads   - the reference Python loader's way: iterate the file line
                     by line (text mode) and json.loads each line; parse only.
  (b) orjson.loads - the same with orjson on bytes lines; parse only.
  (c) ingest       - `pointillist ingest --db <tmp>/corpus.sqlite --quiet FILE`
                     as a child process (parse, validate, align, store); wall
                     time, and the child's own peak RSS from os.wait4 (see
                     LAUNCHER for why it is spawned from a tiny launcher).

(a) and (b) run in this process.  With --repeat N the three run in N rounds,
interleaved (json, orjson, ingest in each round), and each is reported by its
fastest run; the ingest/orjson ratio of every round is printed too, to show the
spread.  The file is read once before every timed run so that all contenders
start from a warm page cache.

Targets: ingest >= 3x orjson; ingest peak RSS < 300 MB and not growing with
input size.  Exit status: 0 all targets pass (or ingest skipped), 1 a target
failed, 2 an error (missing binary, failed ingest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import make_corpus  # noqa: E402  (also installs orjson if it is missing)
from launcher import LAUNCHER  # noqa: E402  (a child's own peak RSS)

orjson = make_corpus.ensure_orjson()

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BINARY = os.path.join(REPO, ".build", "release", "pointillist")

SPEEDUP_TARGET = 3.0          # ingest MB/s >= 3x orjson MB/s
RSS_LIMIT_MB = 300.0          # peak RSS of the ingest child
RSS_GROWTH_FRACTION = 0.10    # largest-size RSS may exceed smallest-size RSS by
RSS_GROWTH_SLACK_MB = 16.0    # at most 10% + 16 MB ("not growing")


def warm_cache(path: str) -> None:
    """Read the whole file once so the timed run starts from the page cache."""
    with open(path, "rb", buffering=0) as f:
        while f.read(16 << 20):
            pass


def time_json(path: str) -> float:
    """Seconds to json.loads every line, reading the file in text mode."""
    loads = json.loads
    start = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            loads(line)
    return time.perf_counter() - start


def time_orjson(path: str) -> float:
    """Seconds to orjson.loads every line, reading the file as bytes."""
    loads = orjson.loads
    start = time.perf_counter()
    with open(path, "rb") as f:
        for line in f:
            loads(line)
    return time.perf_counter() - start


def remove_db(db: str) -> None:
    """Delete a SQLite database and its journal side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(db + suffix)
        except FileNotFoundError:
            pass


def run_ingest(binary: str, db: str, path: str, logdir: str, extra: list[str] | None = None) -> dict:
    """Run one ingest child; return wall seconds, its own peak RSS (MB) and status.

    The child is started by LAUNCHER and reaped there with os.wait4, so the
    rusage is that child's alone (not inherited from this process, nor
    accumulated over earlier runs).
    """
    remove_db(db)
    out_log = os.path.join(logdir, "ingest.stdout")
    err_log = os.path.join(logdir, "ingest.stderr")
    result = os.path.join(logdir, "ingest.rusage")
    cmd = [binary, "ingest", "--db", db, "--quiet"] + (extra or []) + [path]
    with open(out_log, "wb") as out, open(err_log, "wb") as err:
        launcher = subprocess.run([sys.executable, "-S", "-I", "-c", LAUNCHER, result] + cmd,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    if launcher.returncode != 0:
        raise RuntimeError(f"ingest launcher failed ({launcher.returncode}); see {err_log}")
    with open(result) as f:
        rc, seconds, maxrss, user, system = f.read().split()
    scale = 1 if sys.platform == "darwin" else 1024       # ru_maxrss: bytes / KiB
    db_bytes = os.path.getsize(db) if os.path.exists(db) else 0
    with open(err_log, "rb") as f:
        stderr_tail = f.read()[-2000:].decode(errors="replace")
    remove_db(db)
    return {"seconds": float(seconds), "rss_mb": int(maxrss) * scale / 1e6,
            "user": float(user), "sys": float(system), "rc": int(rc),
            "db_mb": db_bytes / 1e6, "stderr": stderr_tail, "cmd": " ".join(cmd)}


def parse_sizes(text: str) -> list[float]:
    """'200,1000' -> [200.0, 1000.0]."""
    try:
        sizes = [float(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad --sizes {text!r}")
    if not sizes or any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"bad --sizes {text!r}")
    return sizes


def fmt_mb(size: float) -> str:
    return f"{size:g}"


def main(argv: list[str] | None = None) -> int:
    """Generate corpora, time the three contenders, print the table and targets."""
    p = argparse.ArgumentParser(description="pointillist ingest throughput benchmark")
    p.add_argument("--sizes", type=parse_sizes, default=[200.0, 1000.0],
                   help="corpus sizes in MB, comma separated (default 200,1000)")
    p.add_argument("--workdir", default="/tmp/pointillist-bench",
                   help="where corpora and the temporary database live")
    p.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    p.add_argument("--binary", default=DEFAULT_BINARY, help="pointillist executable")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--skip-ingest", action="store_true",
                   help="only time the Python parse-only references")
    a = p.parse_args(argv)
    if a.repeat < 1:
        p.error("--repeat must be >= 1")
    if orjson is None:
        print("error: orjson is required for reference (b) and could not be installed",
              file=sys.stderr)
        return 2

    binary = os.path.abspath(a.binary)
    if not a.skip_ingest and not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"error: pointillist binary not found at {binary}\n"
              f"  build it with: swift build -c release --product pointillist\n"
              f"  (Benchmarks/ingest/run does that, then runs this script),\n"
              f"  or pass --binary PATH, or --skip-ingest to time only json/orjson.",
              file=sys.stderr)
        return 2

    os.makedirs(a.workdir, exist_ok=True)
    print(f"# pointillist ingest benchmark  {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(f"# host: {platform.node()}  {platform.machine()}  cpus={os.cpu_count()}  "
          f"python {platform.python_version()}  orjson {orjson.__version__}")
    print(f"# binary: {'(skipped)' if a.skip_ingest else binary}")
    print(f"# workdir: {a.workdir}  seed={a.seed}  repeat={a.repeat} "
          f"(best of N, in N interleaved rounds)")
    print("# each timed run is preceded by one full read of the file (warm page cache)")
    print("# MB = 1e6 bytes of JSONL; json.loads reads text lines, orjson reads bytes lines")
    print("# ingest: wall time and peak RSS of the pointillist process alone (os.wait4)")
    print()

    rows = []
    failed_runs = False
    tmpdir = tempfile.mkdtemp(prefix="ingest-", dir=a.workdir)
    try:
        for mb in a.sizes:
            path = os.path.join(a.workdir, f"ln_{fmt_mb(mb)}mb_seed{a.seed}.jsonl")
            make_corpus.generate(path, mb, a.seed, log=lambda m: print(f"# {m}"))
            size_mb = os.path.getsize(path) / 1e6
            row = {"mb": mb, "size_mb": size_mb}
            # Rounds interleave the contenders (json, orjson, ingest), so a machine that
            # speeds up or slows down during the run affects all of them alike.
            json_s, orjson_s, runs = [], [], []
            for _ in range(a.repeat):
                warm_cache(path)
                json_s.append(time_json(path))
                warm_cache(path)
                orjson_s.append(time_orjson(path))
                if not a.skip_ingest:
                    warm_cache(path)
                    run = run_ingest(binary, os.path.join(tmpdir, "corpus.sqlite"), path, tmpdir)
                    runs.append(run)
                    if run["rc"] != 0:
                        break
            row["json"] = size_mb / min(json_s)
            print(f"#   {fmt_mb(mb)} MB  json.loads   {row['json']:8.1f} MB/s", flush=True)
            row["orjson"] = size_mb / min(orjson_s)
            print(f"#   {fmt_mb(mb)} MB  orjson.loads {row['orjson']:8.1f} MB/s", flush=True)
            if not a.skip_ingest:
                bad = [r for r in runs if r["rc"] != 0]
                if bad:
                    failed_runs = True
                    r = bad[0]
                    print(f"# ERROR: ingest exited with {r['rc']}: {r['cmd']}\n"
                          f"# stderr tail:\n{r['stderr']}", file=sys.stderr)
                    row["ingest"] = None
                else:
                    fastest = min(runs, key=lambda r: r["seconds"])
                    row["ingest"] = size_mb / fastest["seconds"]
                    row["rss"] = max(r["rss_mb"] for r in runs)
                    print(f"#   {fmt_mb(mb)} MB  ingest       {row['ingest']:8.1f} MB/s  "
                          f"wall {fastest['seconds']:.2f} s  user {fastest['user']:.2f} s  "
                          f"sys {fastest['sys']:.2f} s  peak RSS {row['rss']:.1f} MB  "
                          f"db {fastest['db_mb']:.1f} MB", flush=True)
                    rounds = sorted(o / r["seconds"] for o, r in zip(orjson_s, runs))
                    print(f"#   {fmt_mb(mb)} MB  ingest/orjson per round: "
                          + " ".join(f"{x:.2f}" for x in rounds)
                          + f"  (median {rounds[len(rounds) // 2]:.2f})", flush=True)
            rows.append(row)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    print()
    print_table(rows, a.skip_ingest)
    if a.skip_ingest:
        print("\n(ingest skipped: no targets evaluated)")
        return 0
    if failed_runs:
        return 2
    return 0 if print_targets(rows) else 1


def print_table(rows: list[dict], skip_ingest: bool) -> None:
    """The results table, one row per input size."""
    head = (f"{'size MB':>8} {'json.loads':>11} {'orjson':>9} {'ingest':>9} "
            f"{'ingest/orjson':>14} {'ingest/json':>12} {'peak RSS MB':>12}")
    print("MB/s (higher is better)")
    print(head)
    print("-" * len(head))
    for r in rows:
        ing = r.get("ingest")
        cells = [f"{r['size_mb']:8.1f}", f"{r['json']:11.1f}", f"{r['orjson']:9.1f}"]
        if ing is None:
            cells += [f"{'-' if skip_ingest else 'error':>9}", f"{'-':>14}", f"{'-':>12}", f"{'-':>12}"]
        else:
            cells += [f"{ing:9.1f}", f"{ing / r['orjson']:13.2f}x", f"{ing / r['json']:11.2f}x",
                      f"{r['rss']:12.1f}"]
        print(" ".join(cells))


def print_targets(rows: list[dict]) -> bool:
    """Print PASS/FAIL per target; True when all pass."""
    ok = True

    def verdict(passed: bool, text: str) -> None:
        nonlocal ok
        ok &= passed
        print(f"  [{'PASS' if passed else 'FAIL'}] {text}")

    print("\nTargets")
    for r in rows:
        ratio = r["ingest"] / r["orjson"]
        verdict(ratio >= SPEEDUP_TARGET,
                f"{r['size_mb']:.0f} MB: ingest/orjson = {ratio:.2f}x  (target >= {SPEEDUP_TARGET:g}x)")
    for r in rows:
        verdict(r["rss"] < RSS_LIMIT_MB,
                f"{r['size_mb']:.0f} MB: peak RSS = {r['rss']:.1f} MB  (target < {RSS_LIMIT_MB:g} MB)")
    if len(rows) >= 2:
        small = min(rows, key=lambda r: r["size_mb"])
        large = max(rows, key=lambda r: r["size_mb"])
        allowed = small["rss"] * (1 + RSS_GROWTH_FRACTION) + RSS_GROWTH_SLACK_MB
        verdict(large["rss"] <= allowed,
                f"RSS not growing: {small['size_mb']:.0f} MB -> {small['rss']:.1f} MB, "
                f"{large['size_mb']:.0f} MB -> {large['rss']:.1f} MB  "
                f"(target <= {allowed:.1f} MB = small x {1 + RSS_GROWTH_FRACTION:g} + "
                f"{RSS_GROWTH_SLACK_MB:g} MB)")
    else:
        print("  [----] RSS not growing: needs at least two --sizes")
    return ok


if __name__ == "__main__":
    sys.exit(main())
