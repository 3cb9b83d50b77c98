#!/usr/bin/env python3
"""Evaluation benchmark: `pointillist evaluate` against reference.py (numpy, pandas, Pillow)
on the data `run` prepares, in one run, with the method's rank-agreement experiment.

Two contests, each timed as whole processes through the launcher (best of --repeat, runs
alternating ours/reference):

  ranking   15 damaged-mask methods and the ground truth itself on every scene, --draws 5,
            at 50 and at 10 points per image: images/s (each image's 16 masks decoded once),
            and Kendall's tau between the rankings by drawn point IoU and by dense IoU.
  labels    one method against the point-label CSV (gzip, millions of rows): rows/s.

Agreement: both write methods.csv; every row must match (point and dense mean IoU to six
decimals, classes, points counted). Exit status: 0 done and agreeing, 1 a mismatch, 2 an error.
The seed's figures for the experiment (15 methods, 500 images, 5 draws): mean tau 0.97 at 50
points per image, 0.93 at 10.
"""

import argparse
import csv
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "questions"))
from bench import launch  # noqa: E402  (runs a contender under the launcher: wall, CPU, peak RSS)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_TAU = {50: 0.97, 10: 0.93}


def kendall_tau_b(a, b):
    c = d = only_a = only_b = 0
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            da = (a[i] > a[j]) - (a[i] < a[j])
            db = (b[i] > b[j]) - (b[i] < b[j])
            if da == 0 and db == 0:
                continue
            if da == 0:
                only_a += 1
            elif db == 0:
                only_b += 1
            elif da == db:
                c += 1
            else:
                d += 1
    return (c - d) / (((c + d + only_b) * (c + d + only_a)) ** 0.5)


def read_rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def taus(rows):
    """Per draw, tau between the methods' drawn point mIoU and dense mIoU."""
    draws = sorted({r["points"] for r in rows if r["points"].startswith("draw")}, key=lambda s: int(s.split()[1]))
    out = []
    for d in draws:
        sel = [r for r in rows if r["points"] == d]
        out.append(kendall_tau_b([float(r["point_miou"]) for r in sel], [float(r["dense_miou"]) for r in sel]))
    return out


def contest(name, ours, ref, repeat, logdir):
    best = {}
    for k in range(repeat):
        for who, cmd in (("ours", ours), ("reference", ref)):
            r = launch(cmd, logdir, f"{name}-{who}-{k}")
            if r["rc"] != 0:
                raise RuntimeError(f"{who} failed ({r['rc']}): {r['cmd']}\n{r['stderr']}")
            if who not in best or r["wall"] < best[who]["wall"]:
                best[who] = r
    return best


def main():
    p = argparse.ArgumentParser(description="pointillist evaluate benchmark")
    p.add_argument("--workdir", required=True)
    p.add_argument("--binary", required=True)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--draws", type=int, default=5)
    p.add_argument("--only", choices=["ranking", "labels"], help="run one contest")
    a = p.parse_args()
    w = a.workdir
    masks = os.path.join(w, "scenes", "masks")
    methods = sorted(os.listdir(os.path.join(w, "methods")))
    method_args = [f"{m}={os.path.join(w, 'methods', m)}" for m in methods] + [f"truth={masks}"]
    images = len([n for n in os.listdir(masks) if n.endswith(".png")])
    logdir = tempfile.mkdtemp(prefix="pointillist-evaluate-bench-")
    env_ref = [sys.executable, os.path.join(HERE, "reference.py")]
    status = 0
    print(f"# {images} scenes, {len(method_args)} methods ({', '.join(methods)}, truth); logs in {logdir}")

    for per_image in (50, 10) if a.only != "labels" else ():
        common = ["--masks", masks, "--draws", str(a.draws), "--points-per-image", str(per_image)]
        for m in method_args:
            common += ["--method", m]
        ours_out, ref_out = os.path.join(logdir, f"ours-{per_image}"), os.path.join(logdir, f"ref-{per_image}")
        best = contest(f"ranking{per_image}", [a.binary, "evaluate", "--quiet", "--out", ours_out] + common,
                       env_ref + ["--out", ref_out] + common, a.repeat, logdir)
        ours_rows, ref_rows = read_rows(os.path.join(ours_out, "methods.csv")), read_rows(os.path.join(ref_out, "methods.csv"))
        same = ours_rows == ref_rows
        status = status or (0 if same else 1)
        t = taus(ours_rows)
        mean = sum(t) / len(t)
        sd = (sum((x - mean) ** 2 for x in t) / (len(t) - 1)) ** 0.5 if len(t) > 1 else 0
        print(f"ranking, {per_image} points per image, {a.draws} draws: Kendall's tau {mean:.3f} ± {sd:.3f} "
              f"(draws {', '.join('%.3f' % x for x in t)}); the seed's {SEED_TAU[per_image]:.2f}")
        o, r = best["ours"], best["reference"]
        print(f"  ours      {o['wall']:7.2f} s  {images / o['wall']:7.1f} images/s  CPU {o['cpu']:6.1f} s  peak {o['rss_mb']:7.1f} MB")
        print(f"  reference {r['wall']:7.2f} s  {images / r['wall']:7.1f} images/s  CPU {r['cpu']:6.1f} s  peak {r['rss_mb']:7.1f} MB")
        print(f"  ratio     {r['wall'] / o['wall']:.2f}x faster; methods.csv {'identical' if same else 'DIFFERS'}")

    if a.only == "ranking":
        return status
    points = os.path.join(w, "points.csv.gz")
    with open(os.path.join(w, "points.rows")) as f:
        rows = int(f.read())
    method = os.path.join(w, "methods", "blur-08")
    common = ["--points", points, "--method", f"blur-08={method}"]
    ours_out, ref_out = os.path.join(logdir, "ours-labels"), os.path.join(logdir, "ref-labels")
    best = contest("labels", [a.binary, "evaluate", "--quiet", "--out", ours_out] + common, env_ref + ["--out", ref_out] + common,
                   a.repeat, logdir)
    same = read_rows(os.path.join(ours_out, "methods.csv")) == read_rows(os.path.join(ref_out, "methods.csv"))
    status = status or (0 if same else 1)
    o, r = best["ours"], best["reference"]
    print(f"point labels, {rows:,} rows (gzip, {os.path.getsize(points) / 1e6:.1f} MB), one method:")
    print(f"  ours      {o['wall']:7.2f} s  {rows / o['wall'] / 1e6:6.2f} M rows/s  CPU {o['cpu']:6.1f} s  peak {o['rss_mb']:7.1f} MB")
    print(f"  reference {r['wall']:7.2f} s  {rows / r['wall'] / 1e6:6.2f} M rows/s  CPU {r['cpu']:6.1f} s  peak {r['rss_mb']:7.1f} MB")
    print(f"  ratio     {r['wall'] / o['wall']:.2f}x faster; methods.csv {'identical' if same else 'DIFFERS'}")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
