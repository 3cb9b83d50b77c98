#!/usr/bin/env python3
"""`pointillist vocab build` on the ingest benchmark's 1 GB corpus, against reference.py.

In alternating rounds, each on a fresh copy of the same ingested corpus (the copy is not
timed), whole processes:

  ours       pointillist vocab build --db COPY --quiet: load WordNet 3.0 (from the compiled
             lexicon cache, made current by one untimed load first), the curation
             files and the word list; extract and count every caption's mentions; write
             the dictionary; extract again and store every mention with its trace segment;
  reference  reference.py explain --file CAPTIONS: the same load and extraction in plain
             Python, printing each mention's row, without counting, storing or locating.

Prints wall seconds, captions/s and peak RSS (the child's own, from os.wait4 in a tiny
launcher) as min/median/max, the reference/ours ratio per round, and PASS/FAIL against the
targets: at least 50,000 captions/s for the whole command, peak RSS under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from launcher import LAUNCHER  # noqa: E402  (a child's own peak RSS)

BINARY = os.path.join(REPO, ".build", "release", "pointillist")
REFERENCE = os.path.join(HERE, "reference.py")


def timed(cmd: list[str], workdir: str, name: str) -> dict:
    """Runs cmd from the repository root; wall seconds, peak RSS (MB), exit status."""
    result = os.path.join(workdir, name + ".rusage")
    with open(os.path.join(workdir, name + ".stdout"), "wb") as out, \
            open(os.path.join(workdir, name + ".stderr"), "wb") as err:
        subprocess.run([sys.executable, "-S", "-I", "-c", LAUNCHER, result] + cmd,
                       cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=True)
    with open(result) as f:
        rc, wall, maxrss, _, _ = f.read().split()
    if int(rc) != 0:
        sys.exit(f"error: {' '.join(cmd)} exited with {rc}; see {workdir}/{name}.stderr")
    return {"wall": float(wall), "rss": int(maxrss) * 1024 / 1e6}


def prepare(workdir: str, mb: int) -> tuple[str, str, int]:
    """The ingested corpus and its captions, one per line; made once and kept."""
    corpus = os.path.join("/tmp/pointillist-bench", f"ln_{mb}mb_seed1.jsonl")  # shared with Benchmarks/ingest
    base = os.path.join(workdir, f"ingested_{mb}mb.sqlite")
    captions = os.path.join(workdir, f"captions_{mb}mb.txt")
    if not os.path.exists(corpus):
        os.makedirs(os.path.dirname(corpus), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(REPO, "Benchmarks", "ingest", "make_corpus.py"),
                        "--out", corpus, "--mb", str(mb), "--seed", "1"], check=True)
    if not os.path.exists(base):
        subprocess.run([BINARY, "ingest", "--db", base + ".part", "--quiet", corpus], check=True,
                       stdout=subprocess.DEVNULL)
        os.replace(base + ".part", base)
    db = sqlite3.connect(base)
    rows = db.execute("SELECT caption FROM narratives ORDER BY id").fetchall()
    db.close()
    if not os.path.exists(captions):
        with open(captions + ".part", "w") as f:
            for (caption,) in rows:
                f.write(caption.replace("\n", " ") + "\n")
        os.replace(captions + ".part", captions)
    return base, captions, len(rows)


def spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=1000, help="corpus size in MB (default 1000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", default="/tmp/pointillist-vocab-build-bench")
    ap.add_argument("--binary", default=BINARY)
    ap.add_argument("--lexicon", default="oewn-2025", choices=["oewn-2025", "wordnet-3.0"],
                    help="ours' lexicon (default: the program's default; the reference reads WordNet 3.0)")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    base, captions, n = prepare(args.workdir, args.mb)
    copy = os.path.join(args.workdir, "corpus.sqlite")
    # One untimed load first, so that every round finds the compiled lexicon cache current
    # (a new binary makes it stale; its first load parses WordNet and rewrites the cache).
    one = os.path.join(args.workdir, "one-caption.txt")
    with open(one, "w") as f:
        f.write("a dog on the grass\n")
    subprocess.run([args.binary, "vocab", "explain", "--lexicon", args.lexicon, "--file", one], cwd=REPO,
                   stdout=subprocess.DEVNULL, check=True)
    ours, ref = [], []
    for r in range(args.rounds):
        for suffix in ("", "-journal"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
        shutil.copyfile(base, copy)
        # The copy's pages written back to disk now, not while the build writes its own.
        os.sync()
        ours.append(timed([args.binary, "vocab", "build", "--lexicon", args.lexicon, "--db", copy, "--quiet"],
                          args.workdir, "ours"))
        ref.append(timed([sys.executable, REFERENCE, "explain", "--file", captions, "--out", os.devnull],
                         args.workdir, "reference"))
        print(f"round {r + 1}: ours {ours[-1]['wall']:.2f} s, reference {ref[-1]['wall']:.2f} s, "
              f"ratio {ref[-1]['wall'] / ours[-1]['wall']:.2f}", flush=True)
    rate = [n / o["wall"] for o in ours]
    print(f"\n{n:,} captions ({args.mb} MB corpus), {args.rounds} rounds, min / median / max")
    print(f"  ours       wall {spread([o['wall'] for o in ours])} s   "
          f"{spread(rate, 0)} captions/s   peak RSS {spread([o['rss'] for o in ours], 1)} MB")
    print(f"  reference  wall {spread([o['wall'] for o in ref])} s   "
          f"{spread([n / o['wall'] for o in ref], 0)} captions/s   peak RSS {spread([o['rss'] for o in ref], 1)} MB")
    print(f"  reference / ours per round: {spread([b['wall'] / a['wall'] for a, b in zip(ours, ref)])}")
    fast = statistics.median(rate) >= 50_000
    small = max(o["rss"] for o in ours) < 300
    print(f"  {'PASS' if fast else 'FAIL'} at least 50,000 captions/s (median {statistics.median(rate):,.0f})")
    print(f"  {'PASS' if small else 'FAIL'} peak RSS under 300 MB (max {max(o['rss'] for o in ours):.1f})")
    return 0 if fast and small else 1


if __name__ == "__main__":
    sys.exit(main())
