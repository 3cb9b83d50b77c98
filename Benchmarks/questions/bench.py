#!/usr/bin/env python3
"""Question-stage benchmark: `pointillist questions sample` vs reference.py (numpy + Pillow).

Both contenders get the same prepared work dir (see `run`): images/, corpus.sqlite after
ingest + vocab build, corpus.embedding from embed train.  Each timed run works on a fresh
copy of corpus.sqlite (ours stores nothing for images already sampled in its database, and writes its
results there; the reference writes its results to a separate SQLite file).

  ours       pointillist questions sample --db COPY --images W/images --pattern '{id}.png'
             --model W/corpus.embedding --quiet          (2 worker threads for images)
  reference  OPENBLAS_NUM_THREADS=1 python3 reference.py --db COPY --images … --out …
             (one thread)

Per contender: best wall time of --repeat runs (runs alternate ours/reference), images/s,
CPU seconds (user + sys of the child) per image, and the child's own peak RSS from
os.wait4 through a tiny launcher (as in Benchmarks/ingest/bench.py).  Before every run the
images are read once, so both start from a warm page cache.

Agreement: with the default --sampler stable the reference draws the same points as ours,
so the last run's question_points are compared point for point (coordinates, full class
ranking, top class).  Exit status: 0 done and agreeing, 1 rankings disagree on more than
--tolerance of the points, 2 an error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from launcher import LAUNCHER  # noqa: E402  (a child's own peak RSS)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BINARY = os.path.join(REPO, ".build", "release", "pointillist")


# The floor: decoding every image file alone, at full size (Pillow, whose JPEG decoder is
# libjpeg-turbo; no draft(), so no DCT scaling), split over N processes; prints the count.
DECODE_ONLY = r"""
import os, sys
from multiprocessing import get_context
from PIL import Image
def decode(path):
    with Image.open(path) as im:
        im.convert("RGB").load()
    return 1
directory, workers = sys.argv[1], int(sys.argv[2])
paths = sorted(os.path.join(directory, n) for n in os.listdir(directory))
with get_context("fork").Pool(workers) as pool:
    print(sum(pool.map(decode, paths, chunksize=8)))
"""


def warm_images(directory: str) -> None:
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "rb") as f:
            f.read()


def fresh_copy(src: str, dst: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    shutil.copyfile(src, dst)


def launch(cmd: list[str], logdir: str, tag: str, env: dict | None = None) -> dict:
    """Run cmd under LAUNCHER; wall s, CPU s, peak RSS MB, exit code, stdout."""
    out_log, err_log = os.path.join(logdir, tag + ".stdout"), os.path.join(logdir, tag + ".stderr")
    result = os.path.join(logdir, tag + ".rusage")
    with open(out_log, "wb") as out, open(err_log, "wb") as err:
        r = subprocess.run([sys.executable, "-S", "-I", "-c", LAUNCHER, result] + cmd,
                           stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"launcher failed ({r.returncode}); see {err_log}")
    with open(result) as f:
        rc, wall, maxrss, user, system = f.read().split()
    scale = 1 if sys.platform == "darwin" else 1024            # ru_maxrss: bytes / KiB
    with open(out_log, errors="replace") as f:
        stdout = f.read()
    with open(err_log, errors="replace") as f:
        stderr = f.read()[-2000:]
    return {"rc": int(rc), "wall": float(wall), "rss_mb": int(maxrss) * scale / 1e6,
            "user": float(user), "sys": float(system), "cpu": float(user) + float(system),
            "stdout": stdout, "stderr": stderr, "cmd": " ".join(cmd)}


def ours_images(stdout: str) -> int:
    for line in stdout.splitlines():
        if line.startswith("images"):
            return int(line.split()[1])
    raise RuntimeError("no 'images N sampled' line in pointillist's output:\n" + stdout)


def load_points(db: str) -> dict:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = {(i, p): (x, y, r) for i, p, x, y, r in
            con.execute("SELECT image_id, point_index, x, y, ranked FROM question_points")}
    con.close()
    return rows


def compare(ours_db: str, ref_db: str) -> dict:
    a, b = load_points(ours_db), load_points(ref_db)
    common = a.keys() & b.keys()
    return {"ours": len(a), "reference": len(b), "common": len(common),
            "same_xy": sum(a[k][:2] == b[k][:2] for k in common),
            "same_ranking": sum(a[k][2] == b[k][2] for k in common),
            "same_top1": sum(a[k][2].split()[:1] == b[k][2].split()[:1] for k in common)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="pointillist question-stage benchmark")
    p.add_argument("--workdir", default="/tmp/pointillist-questions-bench",
                   help="prepared by `run`: images/, corpus.sqlite, corpus.embedding")
    p.add_argument("--binary", default=DEFAULT_BINARY)
    p.add_argument("--images", default=None, help="image directory (default WORKDIR/images)")
    p.add_argument("--pattern", default="{id}.png", help="file name pattern (default {id}.png)")
    p.add_argument("--decode-workers", type=int, default=2,
                   help="processes for the decode-only contender (default 2, as ours uses 2 threads)")
    p.add_argument("--repeat", type=int, default=2, help="best of N runs (default 2)")
    p.add_argument("--sampler", choices=["stable", "random"], default="stable",
                   help="reference's points: ours' deterministic sampler (default) or numpy uniform")
    p.add_argument("--tolerance", type=float, default=0.01,
                   help="share of points whose rankings may differ before exit 1 (default 0.01)")
    a = p.parse_args(argv)
    if a.repeat < 1:
        p.error("--repeat must be >= 1")
    binary = os.path.abspath(a.binary)
    images = a.images or os.path.join(a.workdir, "images")
    corpus = os.path.join(a.workdir, "corpus.sqlite")
    model = os.path.join(a.workdir, "corpus.embedding")
    for path in (binary, images, corpus, model):
        if not os.path.exists(path):
            print(f"error: {path} missing; Benchmarks/questions/run builds and prepares everything",
                  file=sys.stderr)
            return 2

    import numpy  # noqa: F401  (only for the version line; the reference imports it itself)
    load0 = os.getloadavg()
    print(f"# pointillist questions benchmark  {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(f"# host: {platform.node()}  {platform.machine()}  cpus={os.cpu_count()}  "
          f"python {platform.python_version()}  numpy {numpy.__version__}")
    print(f"# binary: {binary}")
    print(f"# workdir: {a.workdir}  ({len(os.listdir(images))} images)  repeat={a.repeat} (best of N, "
          f"runs alternate)  reference sampler: {a.sampler}")
    print(f"# load average at start: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
    print("# ours: 2 worker threads for images; reference: 1 thread (OPENBLAS_NUM_THREADS=1); "
          f"decode: full-size decode alone, {a.decode_workers} processes")
    print("# CPU = user + sys of the child; peak RSS of the child alone (os.wait4)")
    print()

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    tmp = tempfile.mkdtemp(prefix="run-", dir=a.workdir)
    runs: dict[str, list[dict]] = {"ours": [], "defaults": [], "reference": [], "decode": []}
    agreement = None
    try:
        ours_db, ref_db = os.path.join(tmp, "ours.sqlite"), os.path.join(tmp, "ref-input.sqlite")
        ref_out = os.path.join(tmp, "ref-out.sqlite")
        for i in range(a.repeat):
            # "ours" does the reference's work: candidates from the mentions, M at the point alone.
            # "defaults" adds what the reference lacks: model candidates and spatial coherence.
            for name, extra in (("ours", ["--model-candidates", "0", "--coherence-radius", "0"]), ("defaults", [])):
                db = ours_db if name == "ours" else os.path.join(tmp, "defaults.sqlite")
                fresh_copy(corpus, db)
                warm_images(images)
                r = launch([binary, "questions", "sample", "--db", db, "--images", images,
                            "--pattern", a.pattern, "--model", model, "--quiet"] + extra, tmp, name)
                if r["rc"] != 0:
                    print(f"error: pointillist exited {r['rc']}: {r['cmd']}\n{r['stderr']}", file=sys.stderr)
                    return 2
                r["images"] = ours_images(r["stdout"])
                runs[name].append(r)
                print(f"#   run {i + 1} {name:<10} wall {r['wall']:6.2f} s  user {r['user']:6.2f} s  "
                      f"sys {r['sys']:6.2f} s  peak RSS {r['rss_mb']:6.1f} MB  images {r['images']}", flush=True)

            fresh_copy(corpus, ref_db)
            warm_images(images)
            r = launch([sys.executable, os.path.join(HERE, "reference.py"), "--db", ref_db, "--images", images,
                        "--pattern", a.pattern, "--model", model, "--out", ref_out, "--sampler", a.sampler],
                       tmp, "reference", env)
            if r["rc"] != 0:
                print(f"error: reference exited {r['rc']}: {r['cmd']}\n{r['stderr']}", file=sys.stderr)
                return 2
            info = json.loads(r["stdout"].strip().splitlines()[-1])
            r["images"], r["phases"] = info["images"], info["phases"]
            runs["reference"].append(r)
            print(f"#   run {i + 1} reference  wall {r['wall']:6.2f} s  user {r['user']:6.2f} s  "
                  f"sys {r['sys']:6.2f} s  peak RSS {r['rss_mb']:6.1f} MB  images {r['images']}", flush=True)

            warm_images(images)
            r = launch([sys.executable, "-c", DECODE_ONLY, images, str(a.decode_workers)], tmp, "decode", env)
            if r["rc"] != 0:
                print(f"error: decode-only exited {r['rc']}\n{r['stderr']}", file=sys.stderr)
                return 2
            r["images"] = int(r["stdout"].split()[0])
            runs["decode"].append(r)
            print(f"#   run {i + 1} decode     wall {r['wall']:6.2f} s  user {r['user']:6.2f} s  "
                  f"sys {r['sys']:6.2f} s  peak RSS {r['rss_mb']:6.1f} MB  images {r['images']}", flush=True)
        agreement = compare(ours_db, ref_out)
        phases = runs["reference"][-1]["phases"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    load1 = os.getloadavg()
    print(f"# load average at end:   {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    print("# reference phases, last run (s): " + "  ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print()

    best = {k: min(v, key=lambda r: r["wall"]) for k, v in runs.items()}
    rss = {k: max(r["rss_mb"] for r in v) for k, v in runs.items()}
    head = (f"{'':<10} {'images':>6} {'wall s':>7} {'images/s':>9} {'CPU s':>7} "
            f"{'CPU ms/image':>13} {'peak RSS MB':>12}")
    print(head)
    print("-" * len(head))
    for name in ("ours", "defaults", "reference", "decode"):
        r = best[name]
        print(f"{name:<10} {r['images']:>6} {r['wall']:7.2f} {r['images'] / r['wall']:9.1f} {r['cpu']:7.2f} "
              f"{1000 * r['cpu'] / r['images']:13.2f} {rss[name]:12.1f}")
    o, f = best["ours"], best["reference"]
    speed = (o["images"] / o["wall"]) / (f["images"] / f["wall"])
    cpu = (f["cpu"] / f["images"]) / (o["cpu"] / o["images"])   # reference / ours
    print()
    print("ours / reference:")
    print(f"  images/s (wall clock, higher is better; ours 2 threads, reference 1)  {speed:5.2f}x")
    print(f"  CPU s per image (lower is better)                                   {1 / cpu:5.2f}x")
    print(f"  peak RSS (lower is better)                                          {rss['ours'] / rss['reference']:5.2f}x")
    d = best["decode"]
    print(f"  images/s against decode only (full size, PIL/libjpeg-turbo, {a.decode_workers} processes)    "
          f"{(o['images'] / o['wall']) / (d['images'] / d['wall']):5.2f}x")
    print(f"  defaults (+ model candidates, spatial coherence) against ours         "
          f"{(best['defaults']['images'] / best['defaults']['wall']) / (o['images'] / o['wall']):5.2f}x images/s")
    print("(wall and CPU from each contender's fastest run; peak RSS the largest over its runs)")

    g = agreement
    print()
    print(f"agreement (last run, {g['common']} common points of {g['ours']} ours / {g['reference']} reference):")
    if a.sampler == "stable":
        print(f"  same coordinates {g['same_xy']}/{g['common']}   same full ranking {g['same_ranking']}/{g['common']}"
              f"   same top class {g['same_top1']}/{g['common']}")
        bad = g["common"] - g["same_ranking"]
        if g["common"] == 0 or g["ours"] != g["reference"] or bad > a.tolerance * g["common"]:
            print(f"  DISAGREE: more than {a.tolerance:.0%} of the points differ")
            return 1
    else:
        print("  (--sampler random: the reference's points differ from ours; rankings not compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
