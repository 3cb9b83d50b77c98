#!/usr/bin/env python3
"""The pipeline's stages on one machine and on Spark (local mode, 1 and 2 executor cores), on
the same generated scenes, in one run: wall seconds per stage, Spark's overhead, and a check
that the outputs are the same (dictionary TSV and model file byte for byte, the first-round
questions as a set).

  Benchmarks/cluster/bench.py [--count 2000] [--shards 4] [--workdir DIR] [--binary PATH]

Stages, one machine: `pointillist ingest`, `vocab build --min-mentions 5`, `embed train`,
`questions sample`, each a process of its own. On Spark: cluster/pointillist_spark.py with
`--master local[E] --shards N --stages ingest,vocab,embed,questions`; the driver writes each
stage's wall time (OUT/timings.tsv), and the start-up (Python, the JVM, the Spark context)
is the whole run's wall time less the stages'. Run it with the project's Spark environment's
Python (.venv-spark/bin/python); the scenes are generated once into the work folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DRIVER = os.path.join(REPO, "cluster", "pointillist_spark.py")
STAGES = ["ingest", "vocab", "embed", "questions"]
QUESTIONS = "SELECT id, image_id, point_index, class_id, round FROM questions"


def timed(command: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(command)} exited with {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return time.monotonic() - started


def one_machine(binary: str, scenes: str, out: str) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    db = os.path.join(out, "corpus.sqlite")
    images = ["--images", os.path.join(scenes, "images"), "--pattern", "{id}.png"]
    return {
        "ingest": timed([binary, "ingest", "--quiet", "--db", db, os.path.join(scenes, "narratives.jsonl")]),
        "vocab": timed([binary, "vocab", "build", "--quiet", "--db", db, "--dictionary", os.path.join(out, "dictionary.tsv"),
                        "--min-mentions", "5"]),
        "embed": timed([binary, "embed", "train", "--quiet", "--db", db, "--model", os.path.join(out, "model.embedding")] + images),
        "questions": timed([binary, "questions", "sample", "--quiet", "--db", db, "--model", os.path.join(out, "model.embedding")]
                           + images),
    }


def on_spark(binary: str, scenes: str, out: str, executors: int, shards: int) -> tuple[dict[str, float], float]:
    shutil.rmtree(out, ignore_errors=True)
    total = timed([sys.executable, DRIVER, "--master", f"local[{executors}]", "--binary", binary, "--out", out,
                   "--shards", str(shards), "--min-mentions", "5", "--stages", ",".join(STAGES),
                   "--images", os.path.join(scenes, "images"), "--pattern", "{id}.png", os.path.join(scenes, "narratives.jsonl")])
    with open(os.path.join(out, "timings.tsv")) as f:
        stages = {stage: float(seconds) for stage, seconds in (line.split("\t") for line in f.read().splitlines()[1:])}
    return stages, total


def same_outputs(single: str, sharded: str, shards: int) -> bool:
    for name in ["dictionary.tsv", "model.embedding"]:
        with open(os.path.join(single, name), "rb") as a, open(os.path.join(sharded, name), "rb") as b:
            if a.read() != b.read():
                print(f"  {name} differs", file=sys.stderr)
                return False
    with sqlite3.connect(os.path.join(single, "corpus.sqlite")) as db:
        expected = sorted(db.execute(QUESTIONS).fetchall())
    got = []
    for k in range(shards):
        with sqlite3.connect(os.path.join(sharded, "shards", f"{k:05d}", "corpus.sqlite")) as db:
            got += db.execute(QUESTIONS).fetchall()
    return sorted(got) == expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="generated scenes (default 2000, 320×240)")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--workdir", default="/tmp/pointillist-cluster-bench")
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "pointillist"))
    args = parser.parse_args()
    scenes = os.path.join(args.workdir, f"scenes-{args.count}")
    if not os.path.exists(os.path.join(scenes, "narratives.jsonl")):
        subprocess.run([args.binary, "scenes", "--out", scenes, "--count", str(args.count), "--seed", "1", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
    print(f"# pointillist cluster benchmark  {time.strftime('%Y-%m-%d %H:%M:%S')}  {os.cpu_count()} cpus")
    print(f"# {args.count} scenes (320×240 PNG, seed 1), {args.shards} shards; load average {os.getloadavg()[0]:.2f}")
    single_out = os.path.join(args.workdir, "single")
    single = one_machine(args.binary, scenes, single_out)
    runs = {}
    for executors in (1, 2):
        out = os.path.join(args.workdir, f"spark-{executors}")
        runs[executors] = on_spark(args.binary, scenes, out, executors, args.shards)
        runs[executors] += (same_outputs(single_out, out, args.shards),)

    header = f"{'stage':<12}{'one machine':>14}" + "".join(f"{f'Spark, {e} core' + ('s' if e > 1 else ''):>16}" for e in runs)
    print(header)
    print("-" * len(header))
    for stage in STAGES:
        print(f"{stage:<12}{single[stage]:>13.2f}s" + "".join(f"{runs[e][0][stage]:>15.2f}s" for e in runs))
    print(f"{'stages':<12}{sum(single.values()):>13.2f}s" + "".join(f"{sum(runs[e][0].values()):>15.2f}s" for e in runs))
    print(f"{'start-up':<12}{'':>14}" + "".join(f"{runs[e][1] - sum(runs[e][0].values()):>15.2f}s" for e in runs))
    print(f"{'whole run':<12}{sum(single.values()):>13.2f}s" + "".join(f"{runs[e][1]:>15.2f}s" for e in runs))
    for e in runs:
        print(f"Spark with {e} core(s): outputs {'the same as one machine' if runs[e][2] else 'DIFFERENT'} "
              f"(dictionary, model, first-round questions); overhead {runs[e][1] - sum(single.values()):.2f} s over one machine")
    return 0 if all(runs[e][2] for e in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
