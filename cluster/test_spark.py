#!/usr/bin/env python3
"""The Spark driver against one machine: on Spark local[2] with 3 shards, the shards' corpora
hold together exactly what one `pointillist ingest` of the same inputs holds, rejected lines
keep their file and line, the counts reconcile, a task that fails once is retried to the
same outputs, and a second run leaves the same outputs. The dictionary built over the shards
is the single machine's, byte for byte, and the shards hold its mentions; the model trained on
the shards' training points is the single machine's, byte for byte; the first-round questions
over the shards are the single machine's; with the same answers imported, the exported point
labels are the single machine's (rows sorted).

Inputs: the sample narratives in Data/ (plain and gzip, 3 malformed lines), the narratives
of the demo's 300 generated scenes (seed 1), the Video LN sample of the tests, and a file with a byte-order mark,
blank lines, a duplicate and a line over --max-line-bytes.

Run with the project's Spark environment: .venv-spark/bin/python cluster/test_spark.py
(script/test does, with the debug binary it builds). The binary: $POINTILLIST_BINARY, else the
release build (swift build -c release --product pointillist).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pointillist_spark  # noqa: E402

BINARY = os.path.abspath(os.environ.get("POINTILLIST_BINARY", os.path.join(REPO, ".build", "release", "pointillist")))
MENTIONS = """SELECT n.image_id, n.annotator_id, m.class_id, m.start, m.length, m.first_word, m.word_count, m.surface,
                     m.lemma, m.start_time, m.end_time, m.point_count, m.interpolated, m.points
              FROM mentions m JOIN narratives n ON n.id = m.narrative_id"""
CONTENT = ("dataset_id, image_id, annotator_id, caption, voice_recording, word_count, aligned_word_count, "
           "segment_count, point_count, has_traces, utterances, words, traces")
VOCAB = ["--min-mentions", "3"]
EMBED = ["--epochs", "3", "--points-per-class", "300"]  # few points per class: the classes are subsampled
QUESTIONS = "SELECT id, image_id, point_index, class_id, round FROM questions"
MAX_LINE = 1 << 20  # a Video LN line of the sample holds up to about 200 KB


def rows(query: str, databases: list[str]) -> list[tuple]:
    """The rows `query` gives over all `databases`, sorted."""
    found = []
    for database in databases:
        with sqlite3.connect(database) as db:
            found += db.execute(query).fetchall()
    return sorted(found)


def narratives(database: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT {CONTENT} FROM narratives").fetchall()


def counts(database: str) -> tuple:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT total(read), total(stored), total(duplicates), total(rejected), total(blank) FROM sources").fetchone()


class InputExpansionTests(unittest.TestCase):
    """The driver reads the files ingest reads, in ingest's order, each once."""

    def test_inputs_expand_as_ingest_expands_them(self):
        with tempfile.TemporaryDirectory() as tmp:
            d = os.path.join(tmp, "d")
            for name in ["b.jsonl", "a/x.jsonl", "a/.hidden.jsonl", ".skipped/y.jsonl", "c.ndjson", "e.json.gz", "notes.txt"]:
                os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
                open(os.path.join(d, name), "w").close()
            found = pointillist_spark.expand_inputs([d, os.path.join(d, "b.jsonl"), os.path.join(tmp, "d/./c.ndjson")])
            self.assertEqual(found, [os.path.join(d, n) for n in ["a/x.jsonl", "b.jsonl", "c.ndjson", "e.json.gz"]])
            # The binary's own expansion: the sources an ingest of the same arguments records, in order.
            database = os.path.join(tmp, "c.sqlite")
            subprocess.run([BINARY, "ingest", "--quiet", "--db", database, d, os.path.join(d, "b.jsonl")], check=True,
                           stdout=subprocess.DEVNULL)
            with sqlite3.connect(database) as db:
                recorded = [row[0] for row in db.execute("SELECT path FROM sources ORDER BY id")]
            self.assertEqual(recorded, found)


class SparkIngestTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="pointillist-spark-test-")
        scenes = os.path.join(cls.work, "scenes")
        subprocess.run([BINARY, "scenes", "--out", scenes, "--count", "300", "--seed", "1", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        odd = os.path.join(cls.work, "odd.jsonl")
        with open(os.path.join(REPO, "Data", "narratives", "shard-00000.jsonl"), "rb") as f:
            sample = f.read().splitlines()
        long_line = sample[0].replace(b'"caption": "', b'"caption": "' + b"a dog and " * 120000, 1)
        with open(odd, "wb") as f:
            f.write(b"\xef\xbb\xbf" + sample[1] + b"\n\n" + long_line + b"\n   \n" + sample[1] + b"\r\n" + sample[2] + b"\n")
        cls.inputs = [os.path.join(REPO, "Data", "narratives"), os.path.join(scenes, "narratives.jsonl"),
                      os.path.join(REPO, "Tests", "StoreTests", "Fixtures", "vidln", "OVIS_train_sample.jsonl"), odd]
        cls.direct = os.path.join(cls.work, "direct.sqlite")
        subprocess.run([BINARY, "ingest", "--quiet", "--max-line-bytes", str(MAX_LINE), "--db", cls.direct] + cls.inputs,
                       check=True, stdout=subprocess.DEVNULL)
        cls.dictionary = os.path.join(cls.work, "direct.dictionary.tsv")
        subprocess.run([BINARY, "vocab", "build", "--quiet", "--db", cls.direct, "--dictionary", cls.dictionary] + VOCAB,
                       check=True, stdout=subprocess.DEVNULL)
        cls.images = ["--images", os.path.join(scenes, "images"), "--pattern", "{id}.png"]
        cls.model = os.path.join(cls.work, "direct.embedding")
        subprocess.run([BINARY, "embed", "train", "--quiet", "--db", cls.direct, "--model", cls.model] + cls.images + EMBED,
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([BINARY, "questions", "sample", "--quiet", "--db", cls.direct, "--model", cls.model] + cls.images,
                       check=True, stdout=subprocess.DEVNULL)
        # One round on one machine: batches, simulated answers, the next round, the export.
        cls.answers = os.path.join(cls.work, "answers.csv")
        cls.labels = os.path.join(cls.work, "direct-labels.csv")
        for command in (["questions", "batch", "--out", os.path.join(cls.work, "direct-batches")],
                        ["questions", "simulate", "--masks", os.path.join(scenes, "masks"), "--out", cls.answers],
                        ["questions", "answers", "--quiet", cls.answers], ["questions", "next"],
                        ["questions", "export", "--out", cls.labels]):
            subprocess.run([BINARY] + command + ["--db", cls.direct], check=True, stdout=subprocess.DEVNULL)
        from pyspark.sql import SparkSession

        # local[2, 2]: two threads, and a failed task is tried once more.
        cls.spark = SparkSession.builder.master("local[2, 2]").appName("pointillist-test") \
            .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate()
        cls.spark.sparkContext.setLogLevel("OFF")  # the failing task's trace is expected

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def run_driver(self, out: str, fail_once: str | None = None) -> tuple[int, str]:
        settings = pointillist_spark.Settings(
            binary=BINARY, shards=3, out=out, max_line_bytes=MAX_LINE, inputs=pointillist_spark.expand_inputs(self.inputs),
            fail_once=fail_once, vocab_options=VOCAB, image_options=self.images, sampling_options=EMBED[2:],
            network_options=EMBED[:2], answers=[self.answers])
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            status = 0
            for stage in ("ingest", "vocab", "embed", "questions", "batch", "answers", "export"):
                status = status or pointillist_spark.STAGES[stage](self.spark.sparkContext, settings)
        return status, printed.getvalue()

    def shard_corpora(self, out: str) -> list[str]:
        return [os.path.join(out, "shards", f"{k:05d}", "corpus.sqlite") for k in range(3)]

    def test_shards_hold_what_one_ingest_holds(self):
        out = os.path.join(self.work, "out")
        status, printed = self.run_driver(out)
        self.assertEqual(status, 0, printed)

        # The same narratives, stored the same way; every image in one shard.
        shards = [narratives(path) for path in self.shard_corpora(out)]
        self.assertEqual(sorted(sum(shards, [])), sorted(narratives(self.direct)))
        self.assertTrue(all(shards), "every shard holds narratives")
        images = [{row[1] for row in rows} for rows in shards]
        self.assertEqual(sum(len(i) for i in images), len(set().union(*images)))
        self.assertTrue(any("/" in image for image in images[0] | images[1] | images[2]), "Video LN keyframes are in")

        # Counts reconcile with the direct ingest's: the over-long line is rejected by `shard`.
        read, stored, duplicates, rejected, _ = counts(self.direct)
        shard_counts = [counts(path) for path in self.shard_corpora(out)]
        self.assertEqual(sum(c[1] for c in shard_counts), stored)
        self.assertEqual(sum(c[2] for c in shard_counts), duplicates)
        self.assertEqual(sum(c[3] for c in shard_counts) + 1, rejected)
        self.assertIn(f"lines read     {int(read):,} = {int(stored):,} stored + {int(duplicates):,} duplicates + "
                      f"{int(rejected):,} rejected (1 too long to route)", printed)
        self.assertIn("byte-order marks 1", printed)

        # Rejected lines keep their input file and line.
        with sqlite3.connect(self.direct) as db:
            expected = sorted(db.execute(
                "SELECT s.path, r.line, coalesce(r.field, ''), r.reason FROM rejects r JOIN sources s ON s.id = r.source_id").fetchall())
        with open(os.path.join(out, "rejects.tsv")) as f:
            got = sorted((p, int(line), field, reason) for p, line, _, field, reason in
                         (row.rstrip("\n").split("\t") for row in f.readlines()[1:]))
        self.assertEqual(got, expected)
        self.assertGreaterEqual(len(got), 4)  # the sample's 3 malformed lines and the over-long one

        # The dictionary of all shards is the single machine's, byte for byte; the shards hold its mentions.
        with open(self.dictionary, "rb") as a, open(os.path.join(out, "dictionary.tsv"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        expected = rows(MENTIONS, [self.direct])
        self.assertEqual(rows(MENTIONS, self.shard_corpora(out)), expected)
        self.assertGreater(len(expected), 300)

        # The model trained on the shards' points is the single machine's; so are the questions.
        with open(self.model, "rb") as a, open(os.path.join(out, "model.embedding"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        expected = rows(QUESTIONS, [self.direct])
        self.assertEqual(rows(QUESTIONS, self.shard_corpora(out)), expected)
        self.assertGreater(len(expected), 400)

        # The same answers give the same point labels; the shards' batch files hold the same questions.
        with open(self.labels, "rb") as a, open(os.path.join(out, "point-labels.csv"), "rb") as b:
            direct_rows = a.read().splitlines(keepends=True)
            self.assertEqual(direct_rows[0] + b"".join(sorted(direct_rows[1:])), b.read())
        self.assertGreater(len(direct_rows), 400)
        self.assertIn("no shard holds the question 0", printed)

        def batched(folder):
            ids = set()
            for name in os.listdir(folder):
                if name.endswith(".csv"):
                    with open(os.path.join(folder, name)) as f:
                        ids |= {row.split(",", 1)[0] for row in f.read().splitlines()[1:]}
            return ids
        self.assertEqual(batched(os.path.join(out, "batches")), batched(os.path.join(self.work, "direct-batches")))

        # A second run over the same inputs leaves the same corpora.
        again = os.path.join(self.work, "again")
        self.run_driver(again)
        for a, b in zip(self.shard_corpora(out), self.shard_corpora(again)):
            self.assertEqual(narratives(a), narratives(b))

    def test_a_task_that_fails_once_is_retried_to_the_same_outputs(self):
        out = os.path.join(self.work, "retried")
        marker = os.path.join(self.work, "failed-once")
        status, printed = self.run_driver(out, fail_once=marker)
        self.assertEqual(status, 0, printed)
        self.assertTrue(os.path.exists(marker), "the task failed once")
        self.assertEqual(sorted(sum((narratives(p) for p in self.shard_corpora(out)), [])), sorted(narratives(self.direct)))
        for mine, theirs in (("dictionary.tsv", self.dictionary), ("model.embedding", self.model)):
            with open(os.path.join(out, mine), "rb") as a, open(theirs, "rb") as b:
                self.assertEqual(a.read(), b.read(), mine)


if __name__ == "__main__":
    unittest.main(verbosity=2)
