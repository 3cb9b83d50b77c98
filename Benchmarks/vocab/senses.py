#!/usr/bin/env python3
"""How well the dictionary's sense choice names real object classes, per lexicon.

For each lexicon (`--lexicon oewn-2025`, the Open English WordNet 2025 shipped in Data/oewn/
weighed by WordNet 3.0's tag counts, and `--lexicon wordnet-3.0`, Debian's wordnet-base),
and for each reviewed list of Open Images class names (`boxable`: the 601 boxable classes,
reviewed-senses.tsv, which the rules were written looking at; `held-out`: 200 other classes,
heldout-senses.tsv, reviewed without running the software), this prints:

- read in captions (`pointillist vocab explain` on each display name): the share of names
  with a kept mention (a tangible sense), the share whose kept mention has a synset the review
  accepted (a name the extractor splits, "chest of drawers" -> chest, drawers, is judged by
  its longest kept mention), that share among the names the lexicon has an acceptable sense
  for, and, among the others, the share left without a kept mention (declined);
- the precision and recall of kept mentions against the human noun spans of the Video LN
  sample (Tests/StoreTests/Fixtures/vidln), as `vocab check-nouns` counts them;
- the Open Images class mapping (`pointillist vocab mids` with the shipped curation less
  mids.tsv, which the review wrote): the share of names mapped, mapped to accepted synsets
  only, that share among names with an acceptable sense, and the share of the others left
  unmapped.

Targets (issue 19): names acceptable >= 98%, precision >= 0.93, recall >= 0.85.
`--misses FILE` writes every name that is not acceptable, with what was chosen.
"""
import argparse
import csv
import io
import shutil
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LEXICONS = {name: ["--lexicon", name] for name in ("oewn-2025", "wordnet-3.0")}


GOLD = {
    "boxable": "reviewed-senses.tsv",  # the 601 boxable classes; the rules were written looking at them
    "held-out": "heldout-senses.tsv",  # 200 other classes, reviewed without running the software
}


def reviewed(gold="boxable", with_mid=False):
    rows = []
    with open(os.path.join(HERE, GOLD[gold]), encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        acceptable = {s for s in (r["wn30_acceptable"] + "|" + r["oewn_acceptable"]).split("|") if s}
        rows.append((r["mid"], r["name"], acceptable) if with_mid else (r["name"], acceptable))
    return rows


def explain(binary, lexicon_args, names):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")
        path = f.name
    try:
        out = subprocess.run([binary, "vocab", "explain", "--number", "--file", path] + lexicon_args,
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    by_input = {}
    for r in csv.DictReader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE):
        by_input.setdefault(int(r["input"]), []).append(r)
    return by_input


def mapping(binary, lexicon_args):
    """`vocab mids` with the shipped curation less mids.tsv (which the review wrote): MID ->
    (status, synset ids) for every Open Images class, from the names and the box hierarchy."""
    with tempfile.TemporaryDirectory() as tmp:
        vocab = os.path.join(tmp, "Vocab")
        shutil.copytree(os.path.join(ROOT, "Vocab"), vocab)
        os.unlink(os.path.join(vocab, "mids.tsv"))
        report = os.path.join(tmp, "mids.tsv")
        subprocess.run([binary, "vocab", "mids", "--vocab", vocab, "--out", report] + lexicon_args,
                       check=True, capture_output=True, text=True)
        with open(report, encoding="utf-8") as f:
            rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            return {r["mid"]: (r["status"], r["synsets"].split()) for r in rows}


def check_nouns(binary, lexicon_args):
    sample = os.path.join(ROOT, "Tests", "StoreTests", "Fixtures", "vidln", "OVIS_train_sample.jsonl")
    out = subprocess.run([binary, "vocab", "check-nouns", sample] + lexicon_args,
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[0] == "kept":
            return float(fields[3]), float(fields[5])
    raise SystemExit("check-nouns printed no 'kept' row:\n" + out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "pointillist"))
    p.add_argument("--lexicon", choices=sorted(LEXICONS), action="append",
                   help="measure only this lexicon (repeatable; default both)")
    p.add_argument("--misses", help="write the names not acceptable, per lexicon, to this TSV")
    a = p.parse_args()
    misses = []
    print(f"{'lexicon':<12} {'names':<9} {'kept':>6} {'acceptable':>11} {'of reachable':>13} {'declined':>9}"
          f" {'precision':>10} {'recall':>7}")
    print("  kept: a tangible sense kept; acceptable: the kept sense is a reviewed one (of all names, and of the"
          " names with one);\n  declined: of the names without an acceptable sense in the lexicon, the share"
          " left without a kept mention; precision/recall: kept mentions against the Video LN noun spans")
    for lexicon in a.lexicon or sorted(LEXICONS):
        args = LEXICONS[lexicon]
        precision, recall = check_nouns(a.binary, args)
        for gold in GOLD:
            names = reviewed(gold)
            rows = explain(a.binary, args, [n for n, _ in names])
            kept = acceptable = reachable = reachable_ok = unreachable = declined = 0
            for i, (name, good) in enumerate(names, start=1):
                found = [r for r in rows.get(i, []) if r["verdict"] == "kept"]
                kept += bool(found)
                # Only this lexicon's ids can be chosen (WordNet 3.0 offsets or OEWN ids).
                mine = {g for g in good if g.startswith("oewn-") == lexicon.startswith("oewn")}
                if mine:
                    reachable += 1
                else:
                    unreachable += 1
                    declined += not found
                head = max(found, key=lambda r: len(r["text"]), default=None)
                if head is not None and head["synset"] in good:
                    acceptable += 1
                    reachable_ok += bool(mine)
                else:
                    chosen = head or (rows.get(i) or [{}])[-1]
                    misses.append((lexicon, gold, name, chosen.get("text", ""), chosen.get("sense", ""),
                                   chosen.get("verdict", "no mention"), chosen.get("reason", ""),
                                   "reachable" if mine else "no acceptable sense"))
            print(f"{lexicon:<12} {gold:<9} {100 * kept / len(names):5.1f}% {100 * acceptable / len(names):10.1f}%"
                  f" {100 * reachable_ok / max(reachable, 1):12.1f}% {100 * declined / max(unreachable, 1):8.1f}%"
                  f" {precision:10.3f} {recall:7.3f}   ({len(names)} names, {reachable} with an acceptable sense)")
    print()
    print("The Open Images class mapping (`vocab mids`, names and the box hierarchy, without mids.tsv):")
    print(f"{'lexicon':<12} {'names':<9} {'mapped':>7} {'acceptable':>11} {'of reachable':>13} {'declined':>9}")
    for lexicon in a.lexicon or sorted(LEXICONS):
        found = mapping(a.binary, LEXICONS[lexicon])
        for gold in GOLD:
            names = reviewed(gold, with_mid=True)
            mapped = acceptable = reachable = reachable_ok = unreachable = declined = 0
            for mid, name, good in names:
                status, synsets = found.get(mid, ("unmapped", []))
                mapped += status != "unmapped"
                mine = {g for g in good if g.startswith("oewn-") == lexicon.startswith("oewn")}
                ok = status != "unmapped" and bool(synsets) and all(s in good for s in synsets)
                acceptable += ok
                if mine:
                    reachable += 1
                    reachable_ok += ok
                else:
                    unreachable += 1
                    declined += status == "unmapped"
                if not ok:
                    misses.append((lexicon, gold + " mapping", name, mid, " ".join(synsets), status, "", 
                                   "reachable" if mine else "no acceptable sense"))
            print(f"{lexicon:<12} {gold:<9} {100 * mapped / len(names):6.1f}% {100 * acceptable / len(names):10.1f}%"
                  f" {100 * reachable_ok / max(reachable, 1):12.1f}% {100 * declined / max(unreachable, 1):8.1f}%")
    if a.misses:
        with open(a.misses, "w", encoding="utf-8") as f:
            f.write("lexicon\tgold\tname\tmention\tsense\tverdict\treason\treachable\n")
            for m in misses:
                f.write("\t".join(m) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
