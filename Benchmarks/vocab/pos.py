#!/usr/bin/env python3
"""How well the mention extractor tells verbs from nouns, measured on a labelled sample built
from the Open English WordNet's example sentences.

A synset's examples use its own words in its own part of speech: "the bottle fell off the
table" is an example of a verb sense of "fall", "the falls were spectacular" of a noun sense.
For every word that is both a noun and a verb in OEWN 2025 (Data/oewn/), every example of its
noun and verb synsets where it occurs in an -s form (falls, watches, flies) becomes a labelled
case: the sentence, the word, and its gold part of speech. (-s forms are where a verb reads
as a plural noun; -ing and -ed forms have rules of their own.) The script runs
`pointillist vocab explain` (`--lexicon`, default oewn-2025) over the sentences and counts,
for the gold verbs and the gold nouns apart, how often the extractor reads the word as a verb,
and how often it keeps it as a mention:

- verbs read as verbs (want: high), verbs kept as mentions (want: low);
- nouns read as verbs (want: low), nouns kept as mentions.

Both are given for all cases and for those where the word follows a content word (a noun
before it: "the man falls", "the car wheels"), the context the -s rule judges.
`--cases FILE` writes every case with the extractor's verdict.
"""
import argparse
import collections
import csv
import gzip
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OEWN = os.path.join(ROOT, "Data", "oewn", "english-wordnet-2025.xml.gz")
WORD = re.compile(r"[a-z]+")


def s_forms(lemma):
    forms = {lemma + "s"}
    if re.search(r"(s|x|z|ch|sh|o)$", lemma):
        forms.add(lemma + "es")
    if re.search(r"[^aeiou]y$", lemma):
        forms = {lemma[:-1] + "ies"}
    return forms


def labelled_cases():
    pos_of = collections.defaultdict(set)      # lemma -> {"n", "v"}
    members = collections.defaultdict(set)     # synset -> lemmas
    examples = {}                              # synset -> (pos, [examples])
    with gzip.open(OEWN) as f:
        lemma = None
        for _, el in ET.iterparse(f, events=("end",)):
            tag = el.tag
            if tag == "Lemma":
                lemma = (el.get("writtenForm"), el.get("partOfSpeech"))
            elif tag == "Sense" and lemma is not None:
                members[el.get("synset")].add(lemma[0])
            elif tag == "LexicalEntry":
                if lemma and lemma[1] in ("n", "v") and WORD.fullmatch(lemma[0]):
                    pos_of[lemma[0]].add(lemma[1])
                lemma = None
                el.clear()
            elif tag == "Synset":
                if el.get("partOfSpeech") in ("n", "v"):
                    texts = [e.text for e in el.findall("Example") if e.text]
                    if texts:
                        examples[el.get("id")] = (el.get("partOfSpeech"), texts)
                el.clear()
    cases = []
    for synset, (pos, texts) in examples.items():
        for lemma in members.get(synset, ()):
            if pos_of.get(lemma) != {"n", "v"}:
                continue
            forms = s_forms(lemma)
            for text in texts:
                words = WORD.findall(text.lower())
                for i, w in enumerate(words):
                    if w in forms:
                        cases.append({"text": text.strip().strip('"'), "word": w, "index": i, "previous": words[i - 1] if i else "",
                                      "lemma": lemma, "gold": pos})
    return cases


def function_words():
    words = set()
    with open(os.path.join(ROOT, "Vocab", "function-words.tsv")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                words.add(line.split("\t")[0])
    return words


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "pointillist"))
    p.add_argument("--cases", help="write every case with its verdict (TSV)")
    p.add_argument("--lexicon", default="oewn-2025", choices=["oewn-2025", "wordnet-3.0"])
    a = p.parse_args()
    cases = labelled_cases()
    fw = function_words()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for c in cases:
            f.write(c["text"].replace("\n", " ") + "\n")
        path = f.name
    out = subprocess.run([a.binary, "vocab", "explain", "--lexicon", a.lexicon, "--all", "--number", "--file", path], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    os.unlink(path)
    rows = collections.defaultdict(list)
    for r in csv.DictReader(out.splitlines(), delimiter="\t"):
        rows[int(r["input"])].append(r)
    for n, c in enumerate(cases, 1):
        verdicts = [r["verdict"] for r in rows[n] if c["word"] in r["text"].split()]
        c["verdict"] = "verb" if "verb" in verdicts else "kept" if "kept" in verdicts else (verdicts[0] if verdicts else "none")
        c["after_content"] = bool(c["previous"]) and c["previous"] not in fw
    print(f"# {len(cases)} labelled -s forms of {len({c['lemma'] for c in cases})} noun-and-verb words in OEWN 2025's examples")
    print("context           gold   cases  read as verb  kept as mention")
    for name, keep in (("all", lambda c: True), ("after a noun", lambda c: c["after_content"])):
        for gold in ("v", "n"):
            sel = [c for c in cases if keep(c) and c["gold"] == gold]
            if not sel:
                continue
            verb = sum(c["verdict"] == "verb" for c in sel)
            kept = sum(c["verdict"] == "kept" for c in sel)
            print(f"{name:16}  {'verb' if gold == 'v' else 'noun':5} {len(sel):6}  {verb / len(sel):11.1%}  {kept / len(sel):14.1%}")
    if a.cases:
        with open(a.cases, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["gold", "verdict", "after_content", "lemma", "word", "previous", "text"], delimiter="\t",
                               extrasaction="ignore")
            w.writeheader()
            w.writerows(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
