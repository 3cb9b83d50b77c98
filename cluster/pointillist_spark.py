#!/usr/bin/env python3
"""Runs Pointillist's stages on Apache Spark, sharded by image.

A shard is the set of images whose stable hash falls in bucket k of N (`pointillist shard`
says which); all narratives of an image land in one shard. Spark schedules the work, moves
the lines between tasks (its shuffle) and retries failed tasks; the `pointillist` binary does
the work inside each task. Stages so far:

  ingest   one task per input file runs `pointillist shard` over it (the binary reads the
           file as ingest does: gzip, byte-order mark, over-long lines, damage); Spark routes
           each line to its shard, sorted by (file, line); one task per shard writes the
           shard's lines and ingests them into that shard's corpus. Every shard's outputs are
           built in a local folder and moved into OUT/shards/NNNNN/ when done, so a retried
           task leaves the same outputs.
  vocab    one task per shard runs `vocab count` on its corpus; then one task per shard runs
           `vocab build --counts` with every shard's counts on a local copy of its corpus:
           each gets the dictionary one build over the whole corpus gives (the same TSV, byte
           for byte) and stores the mentions of its own narratives.
  embed    one task per shard runs `embed count`, then one per shard `embed points` with
           every shard's counts (its training set with the whole corpus's sampling rates);
           one task runs `embed fit` on all of them: OUT/model.embedding, the model `embed
           train` gives on the whole corpus, byte for byte.
  questions  one task per shard runs `questions sample` with that model (first-round
           questions; their ids come from image, point and class).
  batch    one task per shard runs `questions batch --prefix sNNNNN-` into OUT/batches.
  answers  every shard imports every --answers file with `questions answers --skip-unknown`
           (it keeps the answers to its own questions), then runs `questions next`.
  export   every shard's point labels, rows sorted into OUT/point-labels.csv.

Every stage that changes a shard's corpus works on a local copy and moves it back when done.

Usage:
  cluster/pointillist_spark.py --out OUT [--shards N] [--master local[*]] INPUT...

Outputs, per shard k (five digits): OUT/shards/k/corpus.sqlite (the shard's corpus; its
`sources` row names the routed file the task ingested), routed.jsonl (the shard's lines, in
input order), origins.tsv (for each line of routed.jsonl: input index and line number),
rejects.tsv (rejected lines with their input file and line), dictionary-counts.tsv,
dictionary.tsv, class-points.tsv and training-points. OUT/dictionary.tsv is the dictionary,
OUT/model.embedding the model. OUT/sharding/NNNNN.tsv holds
what `pointillist shard` reported for each input (its end record, and lines rejected there),
OUT/inputs.tsv the inputs by index, OUT/ingest-summary.tsv the per-shard counts,
OUT/timings.tsv each stage's wall seconds.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGES = {}  # filled below: name → function(spark context, settings) → exit status
SUMMARY_COLUMNS = ["shard", "read", "stored", "duplicates", "rejected", "blank", "narratives", "images"]


def default_binary() -> str:
    """The checkout's release build, else `pointillist` on PATH."""
    built = os.path.join(REPO, ".build", "release", "pointillist")
    if os.access(built, os.X_OK):
        return built
    found = shutil.which("pointillist")
    if found:
        return found
    sys.exit("pointillist_spark: no pointillist binary (build it: swift build -c release, or pass --binary)")


# The suffixes ingest reads from a directory (FileSystem.inputSuffixes).
INPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")


def files_under(directory: str) -> list[str]:
    """The input files under `directory`, recursively, hidden names skipped, sorted by path (FileSystem.filesUnder)."""
    found: list[str] = []
    for name in os.listdir(directory):
        if name.startswith("."):
            continue
        path = directory + name if directory.endswith("/") else directory + "/" + name
        if os.path.isdir(path):
            found += files_under(path)
        elif name.endswith(INPUT_SUFFIXES):
            found.append(path)
    return sorted(found)


def expand_inputs(patterns: list[str]) -> list[str]:
    """Files, directories and glob patterns as ingest expands them (FileSystem.expandInputs): the same files in the
    same order, each once, as absolute paths."""
    paths: list[str] = []
    for pattern in patterns:
        if any(c in pattern for c in "*?[") and not os.path.exists(pattern):
            matches = sorted(glob.glob(pattern))
            if not matches:
                sys.exit(f"pointillist_spark: {pattern}: pattern matches no file")
            for path in matches:
                paths += files_under(path) if os.path.isdir(path) else [path]
        elif os.path.isdir(pattern):
            found = files_under(pattern)
            if not found:
                sys.exit(f"pointillist_spark: {pattern}: directory holds no {', '.join(INPUT_SUFFIXES)} file")
            paths += found
        elif os.path.exists(pattern):
            paths.append(pattern)
        else:
            sys.exit(f"pointillist_spark: {pattern}: no such file")
    files: list[str] = []
    seen: set[str] = set()
    for path in paths:
        absolute = os.path.abspath(path)
        if absolute not in seen:
            seen.add(absolute)
            files.append(absolute)
    return files


def replace_file(source: str, target: str) -> None:
    """Moves `source` over `target` in one step (through a temporary beside `target` when they lie on other file systems)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:
        temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{os.getpid()}.tmp")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
        os.remove(source)


def write_file(path: str, data: bytes) -> None:
    """Writes `path` whole or not at all."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


@dataclass
class Settings:
    """What every task needs; shipped to the executors with the closures."""

    binary: str
    shards: int
    out: str
    max_line_bytes: int
    inputs: list[str] = field(default_factory=list)
    # `vocab build` options, passed on (--min-mentions, --train-classes, --vocab ...).
    vocab_options: list[str] = field(default_factory=list)
    # The images (--images DIR --pattern P), and options of `embed points` (sampling) and
    # `embed fit` (the network), passed on.
    image_options: list[str] = field(default_factory=list)
    sampling_options: list[str] = field(default_factory=list)
    network_options: list[str] = field(default_factory=list)
    # `questions batch` options (--image-url, --image-size), the answer files to import, and
    # `questions next` options (--max-rounds), passed on.
    batch_options: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    next_options: list[str] = field(default_factory=list)
    # Tests only: the first attempt of shard 1's task leaves part of its outputs and fails
    # (and creates this file, so the retry goes through).
    fail_once: str | None = None


def tag_file(settings: Settings):
    """A task per input: the lines of one file as ((shard, file, line), bytes); the file's
    other records (end of file, lines rejected by `shard`) go to OUT/sharding/NNNNN.tsv."""

    def run(item):
        index, path = item
        with tempfile.TemporaryFile() as errors:
            command = [settings.binary, "shard", "--shards", str(settings.shards), "--first-file-index", str(index),
                       "--max-line-bytes", str(settings.max_line_bytes), "--quiet", path]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
            others = []
            for record in process.stdout:
                if record.startswith(b"L\t"):
                    _, shard, file, line, rest = record[:-1].split(b"\t", 4)
                    yield (int(shard), int(file), int(line)), rest
                else:
                    others.append(record)
            status = process.wait()
            errors.seek(0)
            if status not in (0, 4):  # 4: a damaged gzip file, its lines before the damage routed
                raise RuntimeError(f"{' '.join(command)} exited with {status}: {errors.read().decode(errors='replace')}")
        write_file(os.path.join(settings.out, "sharding", f"{index:05d}.tsv"), b"".join(others))

    return run


def ingest_shard(settings: Settings):
    """A task per shard: its lines, in input order, into the shard's corpus."""

    def run(shard, records):
        with tempfile.TemporaryDirectory(prefix=f"pointillist-shard-{shard:05d}-") as work:
            routed = os.path.join(work, "routed.jsonl")
            origins = []
            with open(routed, "wb") as f:
                for (_, file, line), data in records:
                    f.write(data + b"\n")
                    origins.append(f"{file}\t{line}\n")
            database = os.path.join(work, "corpus.sqlite")
            command = [settings.binary, "ingest", "--db", database, "--quiet", "--max-line-bytes", str(settings.max_line_bytes),
                       "--rejects", os.path.join(work, "rejects.jsonl"), routed]
            run_binary(command)
            with open(os.path.join(work, "origins.tsv"), "w") as f:
                f.write("routed_line\tinput\tline\n")
                f.writelines(f"{i}\t{o}" for i, o in enumerate(origins, 1))
            counts, rejects = read_shard(database, origins, settings.inputs)
            with open(os.path.join(work, "rejects.tsv"), "w") as f:
                f.write("path\tline\tcolumn\tfield\treason\n")
                f.writelines("\t".join(str(v) for v in r) + "\n" for r in rejects)
            target = os.path.join(settings.out, "shards", f"{shard:05d}")
            if settings.fail_once and shard == 1 and not os.path.exists(settings.fail_once):
                open(settings.fail_once, "w").close()
                replace_file(os.path.join(work, "routed.jsonl"), os.path.join(target, "routed.jsonl"))
                raise RuntimeError("shard 1 fails once (test)")
            # The corpus last: a shard folder with a corpus has the rest of its files too.
            for name in ["routed.jsonl", "origins.tsv", "rejects.tsv", "corpus.sqlite"]:
                replace_file(os.path.join(work, name), os.path.join(target, name))
            yield [shard] + counts

    return run


def read_shard(database: str, origins: list[str], inputs: list[str]):
    """The shard corpus's counts (SUMMARY_COLUMNS after `shard`) and its rejects, named by input file and line."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        read, stored, duplicates, rejected, blank = db.execute(
            "SELECT total(read), total(stored), total(duplicates), total(rejected), total(blank) FROM sources").fetchone()
        narratives, images = db.execute("SELECT count(*), count(DISTINCT image_id) FROM narratives").fetchone()
        rows = db.execute("SELECT line, column, field, reason FROM rejects ORDER BY line").fetchall()
    rejects = []
    for line, column, field_name, reason in rows:
        index, original = (int(v) for v in origins[line - 1].split("\t"))
        rejects.append((inputs[index], original, "" if column is None else column, field_name or "", reason.replace("\t", " ")))
    return [int(read), int(stored), int(duplicates), int(rejected), int(blank), narratives, images], rejects


def read_sharding(out: str, count: int):
    """Per input: lines routed, blank lines, byte-order mark, damage; and the lines `shard` rejected."""
    ends, rejected = [], []
    for index in range(count):
        with open(os.path.join(out, "sharding", f"{index:05d}.tsv"), "rb") as f:
            for record in f:
                fields = record[:-1].split(b"\t")
                if fields[0] == b"F":
                    ends.append({"routed": int(fields[2]), "blank": int(fields[3]), "bom": fields[4] == b"1",
                                 "damage": fields[5].decode(), "path": b"\t".join(fields[6:]).decode(errors="replace")})
                elif fields[0] == b"R":
                    rejected.append((int(fields[1]), int(fields[2]), fields[3].decode()))
    return ends, rejected


def run_ingest(sc, settings: Settings) -> int:
    """The ingest stage; prints its reconciled summary and returns the exit status (4 when an input is damaged)."""
    started = time.monotonic()
    sc.addPyFile(os.path.abspath(__file__))  # the tasks' functions live in this module
    write_file(os.path.join(settings.out, "inputs.tsv"),
               ("input\tpath\n" + "".join(f"{i}\t{p}\n" for i, p in enumerate(settings.inputs))).encode())
    n = settings.shards
    lines = sc.parallelize(list(enumerate(settings.inputs)), max(1, len(settings.inputs))).flatMap(tag_file(settings))
    routed = lines.repartitionAndSortWithinPartitions(numPartitions=n, partitionFunc=lambda key: key[0])
    rows = sorted(routed.mapPartitionsWithIndex(ingest_shard(settings)).collect())
    ends, rejected_here = read_sharding(settings.out, len(settings.inputs))
    write_file(os.path.join(settings.out, "ingest-summary.tsv"),
               ("\t".join(SUMMARY_COLUMNS) + "\n" + "".join("\t".join(map(str, r)) + "\n" for r in rows)).encode())
    rejects = [(index, line, "", "", reason) for index, line, reason in rejected_here]
    position = {path: index for index, path in enumerate(settings.inputs)}
    for shard in range(n):
        with open(os.path.join(settings.out, "shards", f"{shard:05d}", "rejects.tsv")) as part:
            for row in part.readlines()[1:]:
                path, line, column, field_name, reason = row.rstrip("\n").split("\t", 4)
                rejects.append((position[path], int(line), column, field_name, reason))
    write_file(os.path.join(settings.out, "rejects.tsv"),
               ("path\tline\tcolumn\tfield\treason\n" + "".join(
                   f"{settings.inputs[i]}\t{line}\t{column}\t{field_name}\t{reason}\n"
                   for i, line, column, field_name, reason in sorted(rejects))).encode())

    total = [sum(r[i] for r in rows) for i in range(1, len(SUMMARY_COLUMNS))]
    read, stored, duplicates, rejected, _, narratives, images = total
    routed_lines = sum(e["routed"] for e in ends)
    print(f"ingest on {n} shards: {len(settings.inputs)} inputs, {time.monotonic() - started:.1f} s")
    print("  " + "  ".join(f"{c:>10}" for c in SUMMARY_COLUMNS))
    for r in rows:
        print("  " + "  ".join(f"{v:>10,}" for v in r))
    print(f"lines read     {read + len(rejected_here):,} = {stored:,} stored + {duplicates:,} duplicates + "
          f"{rejected + len(rejected_here):,} rejected ({len(rejected_here)} too long to route)")
    print(f"blank lines    {sum(e['blank'] for e in ends):,}; byte-order marks {sum(e['bom'] for e in ends)}")
    print(f"rejects        {len(rejects):,} lines, with their input file and line: {settings.out}/rejects.tsv")
    print(f"corpus         {narratives:,} narratives of {images:,} images in {settings.out}/shards/*/corpus.sqlite")
    if routed_lines != read:
        print(f"error: {routed_lines:,} lines were routed but the shards read {read:,}", file=sys.stderr)
        return 1
    damaged = [e for e in ends if e["damage"]]
    for e in damaged:
        print(f"{e['path']}: {e['damage']}; the complete lines before it were ingested", file=sys.stderr)
    return 4 if damaged else 0


def shard_folder(settings: Settings, shard: int) -> str:
    return os.path.join(settings.out, "shards", f"{shard:05d}")


def run_binary(command: list[str]) -> str:
    """Runs the binary; its standard output, or an error with its standard error."""
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode(errors="replace")


def produce(target: str, command) -> str:
    """Runs `command(path)`, which writes a file at a local path, and moves the file to `target` when it succeeded."""
    with tempfile.TemporaryDirectory(prefix="pointillist-") as work:
        path = os.path.join(work, os.path.basename(target))
        printed = run_binary(command(path))
        replace_file(path, target)
    return printed


def on_local_copy(settings: Settings, shard: int, commands) -> list[str]:
    """Runs `commands(database)` (command lines) on a local copy of the shard's corpus, which
    replaces the shard's once every command has succeeded; returns what they printed."""
    folder = shard_folder(settings, shard)
    with tempfile.TemporaryDirectory(prefix=f"pointillist-shard-{shard:05d}-") as work:
        database = os.path.join(work, "corpus.sqlite")
        shutil.copyfile(os.path.join(folder, "corpus.sqlite"), database)
        outputs = [run_binary(command) for command in commands(database)]
        replace_file(database, os.path.join(folder, "corpus.sqlite"))
    return outputs


def each_shard(sc, settings: Settings, task) -> list:
    """`task(shard)` for every shard, one Spark task each; the results in shard order."""
    return sc.parallelize(range(settings.shards), settings.shards).map(task).collect()


def shard_files(settings: Settings, name: str) -> list[str]:
    """The file `name` of every shard's folder."""
    return [os.path.join(shard_folder(settings, k), name) for k in range(settings.shards)]


def lexicon_options(options: list[str]) -> list[str]:
    """The options of `vocab build` that `vocab count` takes too (the lexicon's)."""
    kept = []
    for name, value in zip(options[::2], options[1::2]):
        if name in ("--lexicon", "--wordnet", "--lmf", "--vocab", "--word-list"):
            kept += [name, value]
    return kept


def run_vocab(sc, settings: Settings) -> int:
    """The dictionary: every shard counted (`vocab count`), then every shard built from all the
    counts (`vocab build --counts`, on a local copy of its corpus); the dictionary, the same
    file on every shard, is copied to OUT/dictionary.tsv (its ids kept by the next run)."""
    started = time.monotonic()
    binary = settings.binary

    def count(shard):
        database = os.path.join(shard_folder(settings, shard), "corpus.sqlite")
        return produce(os.path.join(shard_folder(settings, shard), "dictionary-counts.tsv"), lambda out: [
            binary, "vocab", "count", "--quiet", "--db", database, "--out", out] + lexicon_options(settings.vocab_options))

    def build(shard):
        counts = [a for path in shard_files(settings, "dictionary-counts.tsv") for a in ("--counts", path)]
        dictionary = os.path.join(shard_folder(settings, shard), "dictionary.tsv")
        previous = os.path.join(settings.out, "dictionary.tsv")
        if os.path.exists(previous):
            shutil.copyfile(previous, dictionary)
        return on_local_copy(settings, shard, lambda db: [[binary, "vocab", "build", "--quiet", "--top", "0", "--db", db,
                                                           "--dictionary", dictionary] + counts + settings.vocab_options])

    each_shard(sc, settings, count)
    counted = time.monotonic()
    each_shard(sc, settings, build)
    copies = []
    for path in shard_files(settings, "dictionary.tsv"):
        with open(path, "rb") as f:
            copies.append(f.read())
    if any(c != copies[0] for c in copies):
        print("error: the shards wrote different dictionaries", file=sys.stderr)
        return 1
    write_file(os.path.join(settings.out, "dictionary.tsv"), copies[0])
    mentions = 0
    for path in shard_files(settings, "corpus.sqlite"):
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            mentions += db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(f"vocab on {settings.shards} shards: counted in {counted - started:.1f} s, built in {time.monotonic() - counted:.1f} s")
    classes = copies[0].count(b"\n") - 1
    print(f"dictionary     {classes:,} classes: {settings.out}/dictionary.tsv (the same on every shard)")
    print(f"mentions       {mentions:,} stored in the shards' corpora")
    return 0


def run_embed(sc, settings: Settings) -> int:
    """The embedding: per shard each class's points counted (`embed count`), then the shard's
    training points drawn with the whole corpus's rates (`embed points`); one task trains on all
    of them (`embed fit`): OUT/model.embedding, one machine's model."""
    started = time.monotonic()
    binary = settings.binary

    def count(shard):
        database = os.path.join(shard_folder(settings, shard), "corpus.sqlite")
        return produce(os.path.join(shard_folder(settings, shard), "class-points.tsv"),
                       lambda out: [binary, "embed", "count", "--db", database, "--out", out])

    def points(shard):
        database = os.path.join(shard_folder(settings, shard), "corpus.sqlite")
        counts = [a for path in shard_files(settings, "class-points.tsv") for a in ("--class-points", path)]
        return produce(os.path.join(shard_folder(settings, shard), "training-points"), lambda out: [
            binary, "embed", "points", "--quiet", "--db", database, "--out", out] + settings.image_options
            + settings.sampling_options + counts)

    def fit(_):
        return produce(os.path.join(settings.out, "model.embedding"), lambda out: [
            binary, "embed", "fit", "--quiet", "--model", out] + shard_files(settings, "training-points") + settings.network_options)

    each_shard(sc, settings, count)
    each_shard(sc, settings, points)
    extracted = time.monotonic()
    sc.parallelize([0], 1).map(fit).collect()
    print(f"embed on {settings.shards} shards: training points in {extracted - started:.1f} s, "
          f"trained in {time.monotonic() - extracted:.1f} s")
    print(f"model          {settings.out}/model.embedding")
    return 0


def run_questions(sc, settings: Settings) -> int:
    """First-round questions: M on every image of every shard, with the model (`questions sample`)."""
    started = time.monotonic()
    model = os.path.join(settings.out, "model.embedding")

    def sample(shard):
        on_local_copy(settings, shard, lambda db: [[settings.binary, "questions", "sample", "--quiet", "--db", db, "--model", model]
                                                   + settings.image_options])
        with sqlite3.connect(f"file:{shard_files(settings, 'corpus.sqlite')[shard]}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*), count(DISTINCT image_id) FROM questions").fetchone()

    done = each_shard(sc, settings, sample)
    print(f"questions on {settings.shards} shards: {time.monotonic() - started:.1f} s")
    print(f"questions      {sum(q for q, _ in done):,} first-round questions on {sum(i for _, i in done):,} images, "
          "in the shards' corpora")
    return 0


def run_batch(sc, settings: Settings) -> int:
    """The questions waiting for a batch, batched per shard into OUT/batches, the files of shard k
    named sNNNNN-batch-NNNNNN (each shard numbers its batches from 1)."""
    batches = os.path.join(settings.out, "batches")

    def batch(shard):
        return on_local_copy(settings, shard, lambda db: [[settings.binary, "questions", "batch", "--db", db, "--out", batches,
                                                           "--prefix", f"s{shard:05d}-"] + settings.batch_options])[0]

    printed = each_shard(sc, settings, batch)
    written = sum(1 for text in printed for line in text.splitlines() if line.startswith("batch "))
    print(f"batch          {written} batch files (.csv and .jsonl) in {batches}")
    return 0


def run_answers(sc, settings: Settings) -> int:
    """The answer files imported into every shard (each keeps the answers to its own questions),
    then the next round's questions per shard. Per file: lines = accepted + rejected + already
    imported + lines whose question no shard holds."""
    if not settings.answers:
        print("answers        no --answers files given", file=sys.stderr)
        return 64

    def answers(shard):
        def commands(db):
            return [[settings.binary, "questions", "answers", "--quiet", "--skip-unknown", "--db", db] + settings.answers,
                    [settings.binary, "questions", "next", "--db", db] + settings.next_options]
        return on_local_copy(settings, shard, commands)

    outputs = each_shard(sc, settings, answers)
    for path in settings.answers:
        read, totals = 0, {"accepted": 0, "rejected": 0, "already imported": 0}
        for text in (o[0] for o in outputs):
            # "PATH: read R = accepted A + rejected J[ + already imported K] + other shards' E"
            line = next(l for l in text.splitlines() if l.startswith(f"{path}: read "))
            read = int(re.search(r": read (\d+) =", line).group(1))
            for name in totals:
                found = re.search(rf"{name} (\d+)", line)
                totals[name] += int(found.group(1)) if found else 0
        held = sum(totals.values())
        print(f"{path}: read {read:,} = accepted {totals['accepted']:,} + rejected {totals['rejected']:,}"
              f" + already imported {totals['already imported']:,} + no shard holds the question {read - held:,}")
    added = sum(int(l.split()[2]) for o in outputs for l in o[1].splitlines() if l.startswith("next round "))
    print(f"next round     {added:,} questions added over {settings.shards} shards")
    return 0


def run_export(sc, settings: Settings) -> int:
    """Every shard's point labels, concatenated and sorted into OUT/point-labels.csv."""
    def export(shard):
        database = os.path.join(shard_folder(settings, shard), "corpus.sqlite")
        target = os.path.join(shard_folder(settings, shard), "point-labels.csv")
        produce(target, lambda out: [settings.binary, "questions", "export", "--db", database, "--out", out])
        with open(target, "rb") as f:
            return f.read().splitlines(keepends=True)

    parts = each_shard(sc, settings, export)
    header = parts[0][0]
    rows = sorted(row for part in parts for row in part[1:])
    write_file(os.path.join(settings.out, "point-labels.csv"), header + b"".join(rows))
    print(f"export         {len(rows):,} point labels: {settings.out}/point-labels.csv (rows sorted)")
    return 0


STAGES.update(ingest=run_ingest, vocab=run_vocab, embed=run_embed, questions=run_questions, batch=run_batch, answers=run_answers,
              export=run_export)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Run Pointillist's stages on Apache Spark, sharded by image (see README, 'Running on a cluster').")
    parser.add_argument("inputs", nargs="+", help="JSONL files (plain or gzip), directories or glob patterns")
    parser.add_argument("--out", required=True, help="output folder (shared by all executors)")
    parser.add_argument("--shards", type=int, default=8, help="number of shards (default 8)")
    parser.add_argument("--master", default=None, help="Spark master (default local[*]; spark-submit's --master wins)")
    parser.add_argument("--binary", default=None, help="the pointillist binary, at this path on every executor")
    parser.add_argument("--max-line-bytes", type=int, default=4 << 20, help="as ingest's --max-line-bytes")
    parser.add_argument("--stages", default="ingest,vocab",
                        help="comma-separated, in order: ingest, vocab, embed, questions, batch, answers, export "
                             "(default ingest,vocab; embed and questions need --images, answers --answers)")
    parser.add_argument("--images", help="the images' folder, at this path on every executor")
    parser.add_argument("--pattern", default="{id}.jpg", help="image file name pattern (default {id}.jpg)")
    parser.add_argument("--points-per-class", type=int, help="as embed train's")
    parser.add_argument("--image-url", help="as questions batch's")
    parser.add_argument("--image-size", help="as questions batch's")
    parser.add_argument("--answers", action="append", default=[], help="an answers file to import (repeatable; the answers stage)")
    parser.add_argument("--max-rounds", type=int, help="as questions next's")
    parser.add_argument("--epochs", type=int, help="as embed train's")
    parser.add_argument("--min-mentions", type=int, help="as vocab build's")
    parser.add_argument("--train-classes", type=int, help="as vocab build's")
    parser.add_argument("--vocab", help="the curation folder, at this path on every executor (default: the binary's)")
    args = parser.parse_args(argv)
    stages = args.stages.split(",")
    if any(stage not in STAGES for stage in stages):
        parser.error(f"--stages takes {', '.join(STAGES)}")
    if ("embed" in stages or "questions" in stages) and not args.images:
        parser.error("the embed and questions stages need --images")
    if args.shards < 1:
        parser.error("--shards must be at least 1")
    from pyspark.sql import SparkSession

    settings = Settings(binary=os.path.abspath(args.binary or default_binary()), shards=args.shards,
                        out=os.path.abspath(args.out), max_line_bytes=args.max_line_bytes, inputs=expand_inputs(args.inputs))
    for name, value in (("--min-mentions", args.min_mentions), ("--train-classes", args.train_classes), ("--vocab", args.vocab and os.path.abspath(args.vocab))):
        if value is not None:
            settings.vocab_options += [name, str(value)]
    if args.images:
        settings.image_options = ["--images", os.path.abspath(args.images), "--pattern", args.pattern]
    if args.points_per_class is not None:
        settings.sampling_options += ["--points-per-class", str(args.points_per_class)]
    if args.epochs is not None:
        settings.network_options += ["--epochs", str(args.epochs)]
    for name, value in (("--image-url", args.image_url), ("--image-size", args.image_size)):
        if value is not None:
            settings.batch_options += [name, value]
    settings.answers = [os.path.abspath(a) for a in args.answers]
    if args.max_rounds is not None:
        settings.next_options += ["--max-rounds", str(args.max_rounds)]
    if "ingest" not in stages:
        missing = [path for path in shard_files(settings, "corpus.sqlite") if not os.path.exists(path)]
        extra = os.path.exists(shard_folder(settings, settings.shards))
        if missing or extra:
            parser.error(f"{settings.out} does not hold {settings.shards} shard corpora: run the ingest stage first, "
                         "with the same --shards")
    builder = SparkSession.builder.appName("pointillist")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        status = 0
        timings = []
        for stage in stages:
            if status not in (0, 4):  # 4: a damaged input, whose lines before the damage were ingested
                break
            started = time.monotonic()
            status = STAGES[stage](spark.sparkContext, settings) or status
            timings.append((stage, time.monotonic() - started))
        write_file(os.path.join(settings.out, "timings.tsv"),
                   ("stage\tseconds\n" + "".join(f"{stage}\t{seconds:.3f}\n" for stage, seconds in timings)).encode())
        return status
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
