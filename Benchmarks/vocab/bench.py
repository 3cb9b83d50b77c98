#!/usr/bin/env python3
"""Benchmark of `pointillist vocab` against the plain-Python reference.

On N generated Localized Narratives captions (the caption generator of
Benchmarks/ingest/make_corpus.py, seeded), in one run:

  (a) knowledge-base load: `pointillist vocab explain --timings` with the
      WordNet 3.0 database on a 1-caption file (the `load` seconds of its
      timings line: lexicon + curation files + word list + tangible closure)
      vs the same load in reference.py;
  (b) WN-LMF load: the same with `--lmf Tops.xml --lmf food.xml --vocab DIR`,
      DIR holding only a tangible.tsv with root physical_entity.n.01, vs
      reference.py (the same load, built with ElementTree.iterparse) and vs a
      bare iterparse pass over the same files; MB/s of XML for each;
  (c) extraction: `extract` seconds of the timings line on the N captions
      (tokenise, chunk, judge and print every row), captions/s, vs reference.py;
  (d) agreement: both programs run once more on the captions with a sentinel
      line before each caption, so rows can be attributed to their caption;
      rows are compared on (caption index, text span, lemma, verdict), aligned
      per caption, and up to 10 disagreements are listed.

Each timing is repeated --repeat times (fresh process each time); the best is kept.
Ratios are reference seconds / pointillist seconds (> 1: pointillist is faster).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "Benchmarks", "ingest"))
import make_corpus  # noqa: E402  (the LN caption generator)

DEFAULT_BINARY = os.path.join(REPO, ".build", "release", "pointillist")
REFERENCE = os.path.join(HERE, "reference.py")
OEWN = "/work/shared/data/oewn"
DEFAULT_LMF = [os.path.join(OEWN, "wn-noun.Tops.xml"), os.path.join(OEWN, "wn-noun.food.xml")]
SENTINEL = "Qzxjsentinel"

TIMINGS = re.compile(r"timings: load (\S+) s, extract (\S+) s, (\d+) texts, (\d+) rows")
PARSE = re.compile(r"timings: parse (\S+) s, (\d+) events")


def make_captions(n: int, seed: int) -> list[str]:
    maker = make_corpus.CaptionMaker(random.Random(seed))
    return [maker.caption() for _ in range(n)]


def run(cmd: list[str], stdout_path: str) -> str:
    """Runs cmd from the repository root, stdout to a file; returns stderr."""
    with open(stdout_path, "wb") as out:
        p = subprocess.run(cmd, cwd=REPO, stdout=out, stderr=subprocess.PIPE)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited with {p.returncode}:\n{err}")
    return err


def timings(cmd: list[str], stdout_path: str) -> dict:
    err = run(cmd, stdout_path)
    m = TIMINGS.search(err)
    if not m:
        sys.exit(f"error: no timings line from {' '.join(cmd)}:\n{err}")
    return {"load": float(m.group(1)), "extract": float(m.group(2)),
            "texts": int(m.group(3)), "rows": int(m.group(4))}


def best(repeat: int, fn) -> dict:
    """Runs fn() repeat times; keeps the per-field minimum of load/extract."""
    results = [fn() for _ in range(repeat)]
    out = dict(results[0])
    for k in ("load", "extract", "parse"):
        if k in out:
            out[k] = min(r[k] for r in results)
            out[k + "_all"] = [r[k] for r in results]
    return out


def read_rows(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    return [line.split("\t") for line in lines[1:] if line]


def split_by_sentinel(rows: list[list[str]], n: int) -> list[list[list[str]]]:
    """Rows of a run on the sentinel-interleaved file, grouped by caption."""
    groups: list[list[list[str]]] = []
    for r in rows:
        if r[0] == SENTINEL:
            groups.append([])
        elif groups:
            groups[-1].append(r)
        else:
            sys.exit("error: a row before the first sentinel")
    if len(groups) != n:
        sys.exit(f"error: {len(groups)} sentinel rows for {n} captions")
    return groups


def agreement(swift, python, limit=10) -> dict:
    """Aligns the rows of each caption on (text, lemma, verdict)."""
    matched = full_same = n_sw = n_py = same_captions = 0
    differences = []
    patterns = collections.Counter()
    examples = {}
    for i, (a, b) in enumerate(zip(swift, python)):
        ka = [(r[0], r[1], r[4]) for r in a]
        kb = [(r[0], r[1], r[4]) for r in b]
        n_sw += len(ka)
        n_py += len(kb)
        if ka == kb:
            same_captions += 1
        sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                matched += i2 - i1
                full_same += sum(a[i1 + k] == b[j1 + k] for k in range(i2 - i1))
                continue
            sw_part = [" ".join(x) for x in ka[i1:i2]]
            py_part = [" ".join(x) for x in kb[j1:j2]]
            if len(differences) < limit:
                differences.append((i, sw_part, py_part))
            pat = (tag, tuple(x[2] for x in ka[i1:i2]), tuple(x[2] for x in kb[j1:j2]))
            patterns[pat] += 1
            examples.setdefault(pat, (i, sw_part, py_part))
    return {"swift_rows": n_sw, "python_rows": n_py, "matched": matched,
            "fraction": matched / max(n_sw, n_py, 1), "full_row_identical": full_same,
            "captions_identical": same_captions, "captions": len(swift),
            "differences": differences,
            "patterns": [(list(p), c, examples[p]) for p, c in patterns.most_common(10)]}


def fmt_s(x: float) -> str:
    return f"{x:.3f} s" if x >= 0.1 else f"{x * 1000:.1f} ms"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--captions", type=int, default=20000, help="number of captions (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; best kept (default 3)")
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--lmf", action="append", help="WN-LMF files (default: OEWN Tops + food samples)")
    ap.add_argument("--workdir", help="keep generated files here (default: a temporary directory)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    args = ap.parse_args(argv)
    lmf = args.lmf or DEFAULT_LMF
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"error: {args.binary} not found; build with: swift build -c release --product pointillist")
    for f in lmf:
        if not os.path.exists(f):
            sys.exit(f"error: {f} not found")

    work = args.workdir or tempfile.mkdtemp(prefix="vocab-bench-")
    os.makedirs(work, exist_ok=True)
    py = [sys.executable, REFERENCE, "explain", "--timings"]
    # The reference reads WordNet 3.0's database, or WN-LMF files as they are (no tag counts):
    # so does ours here (`--lmf` files are read without tag counts).
    sw = [args.binary, "vocab", "explain", "--timings", "--lexicon", "wordnet-3.0"]

    load1 = os.getloadavg()[0]
    t0 = time.perf_counter()
    captions = make_captions(args.captions, args.seed)
    corpus = os.path.join(work, "captions.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(captions) + "\n")
    one = os.path.join(work, "one.txt")
    with open(one, "w", encoding="utf-8") as f:
        f.write(captions[0] + "\n")
    marked = os.path.join(work, "captions-with-sentinels.txt")
    with open(marked, "w", encoding="utf-8") as f:
        for c in captions:
            f.write(SENTINEL + "\n" + c + "\n")
    lmf_vocab = os.path.join(work, "lmf-vocab")
    os.makedirs(lmf_vocab, exist_ok=True)
    with open(os.path.join(lmf_vocab, "tangible.tsv"), "w") as f:
        f.write("rule\tvalue\nroot\tphysical_entity.n.01\n")
    lmf_args = [a for f in lmf for a in ("--lmf", f)] + ["--vocab", lmf_vocab]
    xml_mb = sum(os.path.getsize(f) for f in lmf) / 1e6
    words = sum(len(c.split()) for c in captions)
    print(f"{args.captions} captions (seed {args.seed}, {words / len(captions):.1f} words each, "
          f"{os.path.getsize(corpus) / 1e6:.2f} MB) generated in {time.perf_counter() - t0:.1f} s; "
          f"work dir {work}")
    print(f"machine: {platform.node()}, {os.cpu_count()} CPUs, load average {load1:.2f}; "
          f"Python {platform.python_version()}; repeat {args.repeat}, best kept", flush=True)

    null = os.path.join(work, "rows-discarded.tsv")
    # (a) knowledge-base load, WordNet 3.0 database.
    kb_sw = best(args.repeat, lambda: timings(sw + ["--file", one], null))
    kb_py = best(args.repeat, lambda: timings(py + ["--file", one], null))
    print(f"(a) done: load {kb_sw['load']:.3f} s vs {kb_py['load']:.3f} s", flush=True)
    # (b) WN-LMF load.
    lmf_sw = best(args.repeat, lambda: timings(sw + lmf_args + ["--file", one], null))
    lmf_py = best(args.repeat, lambda: timings(py + lmf_args + ["--file", one], null))

    def parse_only():
        err = run([sys.executable, REFERENCE, "lmf-parse"] + lmf, null)
        m = PARSE.search(err)
        return {"parse": float(m.group(1)), "events": int(m.group(2))}
    lmf_it = best(args.repeat, parse_only)
    print(f"(b) done: load {lmf_sw['load']:.3f} s vs {lmf_py['load']:.3f} s "
          f"(iterparse only {lmf_it['parse']:.3f} s)", flush=True)
    # (c) extraction.
    sw_rows_path = os.path.join(work, "rows-pointillist.tsv")
    py_rows_path = os.path.join(work, "rows-reference.tsv")
    ex_sw = best(args.repeat, lambda: timings(sw + ["--file", corpus], sw_rows_path))
    ex_py = best(args.repeat, lambda: timings(py + ["--file", corpus], py_rows_path))
    print(f"(c) done: extract {ex_sw['extract']:.3f} s vs {ex_py['extract']:.3f} s", flush=True)
    # (d) agreement, on the sentinel-interleaved captions.
    sw_marked = os.path.join(work, "rows-pointillist-sentinels.tsv")
    py_marked = os.path.join(work, "rows-reference-sentinels.tsv")
    run(sw + ["--file", marked], sw_marked)
    run(py + ["--file", marked], py_marked)
    agree = agreement(split_by_sentinel(read_rows(sw_marked), len(captions)),
                      split_by_sentinel(read_rows(py_marked), len(captions)))
    identical_output = open(sw_rows_path, "rb").read() == open(py_rows_path, "rb").read()
    load2 = os.getloadavg()[0]

    # Report.
    n = args.captions
    rows = [
        ("(a) KB load, WordNet 3.0 db", fmt_s(kb_sw["load"]), fmt_s(kb_py["load"]),
         f"{kb_py['load'] / kb_sw['load']:.2f}x"),
        (f"(b) WN-LMF load, {xml_mb:.2f} MB XML", fmt_s(lmf_sw["load"]), fmt_s(lmf_py["load"]),
         f"{lmf_py['load'] / lmf_sw['load']:.2f}x"),
        ("    as MB/s of XML", f"{xml_mb / lmf_sw['load']:.1f} MB/s", f"{xml_mb / lmf_py['load']:.1f} MB/s", ""),
        ("    bare iterparse pass (Python)", "", f"{fmt_s(lmf_it['parse'])} = "
         f"{xml_mb / lmf_it['parse']:.1f} MB/s", f"{lmf_it['parse'] / lmf_sw['load']:.2f}x"),
        (f"(c) extraction, {n} captions", fmt_s(ex_sw["extract"]), fmt_s(ex_py["extract"]),
         f"{ex_py['extract'] / ex_sw['extract']:.2f}x"),
        ("    captions/s", f"{n / ex_sw['extract']:,.0f}", f"{n / ex_py['extract']:,.0f}", ""),
        ("    rows", f"{ex_sw['rows']:,}", f"{ex_py['rows']:,}", ""),
    ]
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    w[0] = max(w[0], 10)
    head = ("", "pointillist", "reference.py", "ref/ptl")
    w = [max(w[i], len(head[i])) for i in range(4)]
    print()
    print(f"{head[0]:<{w[0]}}  {head[1]:>{w[1]}}  {head[2]:>{w[2]}}  {head[3]:>{w[3]}}")
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}")
    print("ref/ptl = reference seconds / pointillist seconds (> 1: pointillist faster). "
          "Loads include curation files, word list and tangible closure; the LMF row "
          "'bare iterparse' is XML streaming alone.")
    print(f"all runs (s): KB load ptl {kb_sw['load_all']} ref {kb_py['load_all']}; "
          f"LMF load ptl {lmf_sw['load_all']} ref {lmf_py['load_all']} iterparse {lmf_it['parse_all']}; "
          f"extract ptl {ex_sw['extract_all']} ref {ex_py['extract_all']}")
    print(f"load average {load1:.2f} at start, {load2:.2f} at end")
    print()
    a = agree
    print(f"(d) agreement on (caption, text, lemma, verdict): {a['matched']:,} of "
          f"{max(a['swift_rows'], a['python_rows']):,} rows = {100 * a['fraction']:.3f}% "
          f"(pointillist {a['swift_rows']:,} rows, reference {a['python_rows']:,}); "
          f"captions with identical rows {a['captions_identical']:,}/{a['captions']:,}; "
          f"aligned rows identical in every column {a['full_row_identical']:,}; "
          f"timed outputs byte-identical: {'yes' if identical_output else 'no'}")
    if a["differences"]:
        print("first disagreements (caption index: pointillist rows | reference rows):")
        for i, s, p in a["differences"]:
            print(f"  {i}: {'; '.join(s) or '-'} | {'; '.join(p) or '-'}")
        print("patterns (operation, pointillist verdicts, reference verdicts): count, example")
        for pat, count, ex in a["patterns"]:
            print(f"  {pat}: {count}, e.g. caption {ex[0]}: {'; '.join(ex[1]) or '-'} | {'; '.join(ex[2]) or '-'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"captions": n, "seed": args.seed, "repeat": args.repeat, "xml_mb": xml_mb,
                       "kb": {"pointillist": kb_sw, "reference": kb_py},
                       "lmf": {"pointillist": lmf_sw, "reference": lmf_py, "iterparse": lmf_it},
                       "extract": {"pointillist": ex_sw, "reference": ex_py},
                       "agreement": a, "loadavg": [load1, load2]}, f, indent=1)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
