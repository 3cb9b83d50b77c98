#!/usr/bin/env python3
"""Seeded generator of a synthetic Localized Narratives (LN) JSONL corpus.

Every line is one JSON object in the official LN schema::

    {"dataset_id": "open_images_train_v6", "image_id": "<16 hex>",
     "annotator_id": <int>, "caption": "...",
     "timed_caption": [{"utterance": "...", "start_time": s, "end_time": s}, ...],
     "traces": [[{"x": f, "y": f, "t": s}, ...], ...],
     "voice_recording": "open_images_train_v6/open_images_train_v6_<id>_<annotator>.ogg"}

Lines are serialised like the released files (Python ``json.dumps`` default
separators ``", "`` and ``": "``).  The corpus is built in fixed-size chunks,
each with its own RNG derived from (seed, chunk index), so the output is
byte-identical for a seed whatever the number of worker processes.

Usage::

    python3 make_corpus.py --out FILE --mb 200 --seed 1 [--bad-fraction 0] [--gzip]
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import hashlib
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time

GENERATOR_VERSION = 1
DATASET_ID = "open_images_train_v6"
LINES_PER_CHUNK = 256          # ~3.6 MB of JSONL per chunk


@functools.lru_cache(maxsize=None)
def ensure_orjson():
    """Import orjson, installing it with pip only if it is missing; None if that fails."""
    try:
        import orjson  # noqa: F401
        return orjson
    except ImportError:
        pass
    print("orjson not found; running pip install orjson", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "orjson"],
                       check=True)
        import orjson  # noqa: F811
        return orjson
    except Exception as exc:  # pragma: no cover - depends on the machine
        print(f"could not install orjson ({exc}); falling back to json", file=sys.stderr)
        return None


_orjson = ensure_orjson()

# --------------------------------------------------------------------------
# Realism parameters (documented in README.md).
# --------------------------------------------------------------------------

WORDS_MIN, WORDS_MAX = 30, 80          # caption length in words
WORDS_EXTRA_SHAPE, WORDS_EXTRA_SCALE = 2.0, 3.0   # target 30 + Gamma(k, theta)
WORD_SECONDS = (0.30, 0.60, 0.34)      # triangular(low, high, mode) per word
UTTERANCE_GAP = (0.0, 0.20, 0.02)      # triangular pause between utterances
UTTERANCE_SIZES = (1, 2, 3)
UTTERANCE_SIZE_WEIGHTS = (0.40, 0.42, 0.18)
NORMALISED_UTTERANCE_P = 0.85          # lower-cased, punctuation stripped
UNTIMED_UTTERANCE_P = 0.03             # start_time = end_time = 0
ALTERED_UTTERANCE_P = 0.01             # one word differs from the caption
POINT_DT = (0.050, 0.065)              # per-line mean seconds between points
SEGMENT_COUNTS = (1, 2, 3, 4)
SEGMENT_WEIGHTS = (0.30, 0.35, 0.22, 0.13)
PEN_UP_GAP = (0.2, 1.2)                # seconds without points between segments
OUT_OF_BAND_RUN_P = 0.0045             # chance per point of starting an excursion
OUT_OF_BAND_RUN_LEN = (2, 8)           # points per excursion (=> ~2% of points)
OUT_OF_BAND_MAX = 0.05                 # excursions stay within [-0.05, 1.05]
NO_TRACES_P = 0.005                    # lines without a "traces" key
SECOND_NARRATIVE_P = 0.05              # images with two annotators
ANNOTATORS = 140                       # annotator ids 0..ANNOTATORS-1
TIME_DECIMALS = ((4, 0.85), (5, 0.10), (6, 0.05))   # per line; x, y always 4

BAD_KINDS = ("truncated", "missing_caption", "string_number", "nan_token",
             "t_backwards", "empty_caption")

# --------------------------------------------------------------------------
# Vocabulary.
# --------------------------------------------------------------------------

PEOPLE = ("man", "woman", "boy", "girl", "child", "person", "lady", "kid",
          "baby", "player", "rider", "girl", "man", "woman", "person")

OBJECTS = """
umbrella bag handbag backpack suitcase bottle cup glass mug plate bowl spoon
fork knife table chair bench sofa couch bed pillow blanket lamp clock
television laptop computer keyboard mouse phone camera book paper poster board
banner flag pole light bulb box basket bucket pot vase flower plant tree bush
leaf branch rock stone fence gate door window wall pillar staircase step
railing roof chimney tower bridge building house hut tent shed car bus truck
van bicycle motorcycle scooter train boat ship airplane helicopter wheel tyre
road path footpath sidewalk signboard sign board hoarding statue fountain
dog cat horse cow sheep goat bird duck pigeon fish elephant giraffe zebra
bear lion monkey deer rabbit chicken hat cap helmet shirt jacket coat dress
skirt shoe boot sock glove scarf tie belt watch ring necklace bracelet
spectacles sunglasses microphone guitar drum piano speaker stage curtain
carpet mat rug frame painting picture mirror shelf cupboard drawer cabinet
refrigerator oven stove sink tap towel soap brush toothbrush toy ball bat
racket kite balloon cake bread sandwich pizza burger banana apple orange
tomato potato carrot onion lemon grape egg cheese meat rice noodle food
tray jar can packet container carton cardboard tablecloth napkin candle
menu bill coin card ticket wire cable rope chain pipe hose ladder tool
hammer bolt screw machine engine vehicle cart trolley stroller wheelchair
tractor crane pillar arch dome window mannequin hanger rack stand tripod
cone barrier streetlight dustbin letter text logo
number symbol sticker label tag icon arrow cloud mountain hill river lake
sea wave shore beach sand rock cliff field farm garden park playground
slide swing net goal post court track ground grass leaves flowerpot
""".split()
OBJECTS = tuple(dict.fromkeys(OBJECTS))   # de-duplicate, keeping a stable order

SCENERY = ("trees", "the sky", "clouds", "buildings", "a wall", "plants",
           "poles", "hills", "mountains", "the grass", "the road", "a fence",
           "street lights", "vehicles", "people", "boards", "windows",
           "a building", "water", "the ground", "some objects", "a curtain",
           "lights", "rocks", "bushes", "houses", "a tree", "the floor")

SURFACES = ("table", "floor", "ground", "road", "grass", "wall", "shelf",
            "plate", "tray", "bench", "sand", "water", "stage", "platform",
            "carpet", "mat", "board", "counter", "desk", "bed")

COLOURS = ("red", "blue", "green", "yellow", "white", "black", "brown",
           "grey", "orange", "pink", "purple", "golden", "silver", "cream",
           "maroon", "violet", "dark", "light")
ADJECTIVES = COLOURS + (
    "small", "big", "large", "tall", "long", "short", "little", "wooden",
    "metal", "glass", "plastic", "stone", "concrete", "brick", "old", "new",
    "open", "closed", "round", "square", "empty", "colorful", "striped",
    "wet", "dry", "tiny", "huge", "bright", "shiny", "steel", "iron",
    "paper", "leather", "cotton", "transparent", "broken", "parked")

VERBS = ("holding", "wearing", "carrying", "looking at", "standing near",
         "sitting on", "walking on", "riding", "playing with", "pointing at",
         "touching", "eating", "reading", "pushing", "pulling", "watching",
         "leaning on", "standing beside", "standing on", "talking to")

QUANTIFIERS = ("few", "some", "two", "three", "four", "many", "a few",
               "a group of", "a bunch of", "a couple of")

IRREGULAR_PLURALS = {
    "man": "men", "woman": "women", "child": "children", "person": "people",
    "baby": "babies", "lady": "ladies", "leaf": "leaves", "shelf": "shelves",
    "knife": "knives", "sheep": "sheep", "fish": "fish", "mouse": "mice",
    "deer": "deer", "spectacles": "spectacles", "sunglasses": "sunglasses",
    "grass": "grass", "sand": "sand", "food": "food", "rice": "rice",
    "cheese": "cheese", "potato": "potatoes", "tomato": "tomatoes", "meat": "meat", "bread": "bread", "text": "text",
    "sea": "seas", "leaves": "leaves", "cardboard": "cardboards",
}

OPENERS = ("In this image we can see {np}.",
           "In this image we can see {np}.",
           "In this picture we can see {np}.",
           "In this image I can see {np}.",
           "In this image there is {np}.",
           "In the center of the image there is {np}.",
           "In this image we can see {np} {verb} {np2}.",
           "In this picture I can see {np} {verb} {np2}.",
           "Here we can see {np}.")

MIDDLES = ("{pron} is {verb} {np}.",
           "On the left side of the image there {be} {np}.",
           "On the right side of the image we can see {np}.",
           "On the left side we can see {np}.",
           "On the right side there {be} {np}.",
           "At the bottom of the image there {be} {np}.",
           "At the bottom we can see {np} on the {surface}.",
           "At the top of the image we can see {np}.",
           "Behind the {noun} there {be} {np}.",
           "There {be} {np} on the {surface}.",
           "We can see {np} on the {surface}.",
           "Beside the {noun} we can see {np}.",
           "In front of the {noun} there {be} {np}.",
           "In the foreground we can see {np}.",
           "And we can see {np} here.",
           "Also there {be} {np}.")

CLOSERS = ("In the background there are {list}.",
           "In the background we can see {list}.",
           "In the background I can see {list}.",
           "At the top of the image we can see the sky.",
           "In the background there is {list}.",
           "The background is blurry.",
           "The sky is {sky}.",
           "At the top there is the sky with clouds.")

WORD_SWAPS = {"trees": "tree", "tree": "trees", "the": "a", "a": "the",
              "is": "are", "are": "is", "we": "i", "this": "the",
              "there": "their", "image": "images", "people": "peoples",
              "on": "in", "in": "on", "an": "a", "can": "could"}

_PUNCT_RE = re.compile(r"[.,!?;:]")
_SPACE_COMMA_RE = re.compile(rb',(?=["{\[])')


def plural(noun: str) -> str:
    """English plural of a vocabulary noun."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def article(word: str) -> str:
    """Indefinite article for a word (approximated from its first letter)."""
    return "an" if word[0] in "aeiou" else "a"


# --------------------------------------------------------------------------
# Captions and timed captions.
# --------------------------------------------------------------------------

class CaptionMaker:
    """Builds LN-style captions from formulaic templates."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def noun(self) -> str:
        """A random object noun (people are more frequent, as in LN)."""
        r = self.rng
        return r.choice(PEOPLE) if r.random() < 0.2 else r.choice(OBJECTS)

    def noun_phrase(self) -> tuple[str, bool]:
        """A noun phrase and whether it is plural."""
        r = self.rng
        noun = self.noun()
        adj = r.choice(ADJECTIVES) if r.random() < 0.45 else None
        if r.random() < 0.35:
            head = plural(noun)
            words = [r.choice(QUANTIFIERS)] + ([adj] if adj else []) + [head]
            return " ".join(words), True
        first = adj or noun
        det = r.choice((article(first), article(first), "the"))
        return " ".join([det] + ([adj] if adj else []) + [noun]), False

    def scenery_list(self) -> str:
        """'trees, a building and the sky' style lists of 1-4 items."""
        r = self.rng
        items = r.sample(SCENERY, r.choice((1, 2, 3, 3, 4)))
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + " and " + items[-1]

    def fill(self, template: str) -> str:
        """Expand one sentence template."""
        r = self.rng
        np, is_plural = self.noun_phrase()
        np2, _ = self.noun_phrase()
        return template.format(
            np=np, np2=np2, be="are" if is_plural else "is",
            verb=r.choice(VERBS), noun=self.noun(), surface=r.choice(SURFACES),
            pron=r.choice(("He", "She", "The person", "The man", "The woman")),
            list=self.scenery_list(),
            sky=r.choice(("blue", "cloudy", "blue and cloudy", "white")))

    def caption(self) -> str:
        """A caption of WORDS_MIN..WORDS_MAX words, opener + middles + closer."""
        r = self.rng
        target = WORDS_MIN + int(r.gammavariate(WORDS_EXTRA_SHAPE, WORDS_EXTRA_SCALE))
        target = min(target, WORDS_MAX)
        while True:
            sentences = [self.fill(r.choice(OPENERS))]
            count = len(sentences[0].split())
            closer = self.fill(r.choice(CLOSERS)) if r.random() < 0.8 else ""
            closer_words = len(closer.split())
            while count + closer_words < target:
                s = self.fill(r.choice(MIDDLES))
                sentences.append(s)
                count += len(s.split())
            if closer:
                sentences.append(closer)
                count += closer_words
            if WORDS_MIN <= count <= WORDS_MAX:
                return " ".join(sentences)


def alter_word(rng: random.Random, word: str) -> str:
    """A slightly different word, as an ASR transcript might produce."""
    if word in WORD_SWAPS:
        return WORD_SWAPS[word]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word + rng.choice(("s", "ed")) if len(word) > 2 else "the"


def timed_caption(rng: random.Random, caption: str, start: float,
                  decimals: int) -> tuple[list[dict], float]:
    """Split a caption into 1-3 word utterances with increasing times.

    Returns the utterance list and the end time of the last word.
    """
    words = caption.split()
    tri = rng.triangular
    utterances = []
    t = last_word_end = start
    i = 0
    n = len(words)
    while i < n:
        size = rng.choices(UTTERANCE_SIZES, UTTERANCE_SIZE_WEIGHTS)[0]
        chunk = words[i:i + size]
        i += size
        if rng.random() < NORMALISED_UTTERANCE_P:
            chunk = [_PUNCT_RE.sub("", w).lower() for w in chunk]
        if rng.random() < ALTERED_UTTERANCE_P:
            j = rng.randrange(len(chunk))
            chunk[j] = alter_word(rng, _PUNCT_RE.sub("", chunk[j]).lower())
        begin = t
        for _ in chunk:
            t += tri(*WORD_SECONDS)
        if rng.random() < UNTIMED_UTTERANCE_P:
            s = e = 0.0
        else:
            s, e = round(begin, decimals), round(t, decimals)
        utterances.append({"utterance": " ".join(chunk), "start_time": s, "end_time": e})
        last_word_end = t
        t += tri(*UTTERANCE_GAP)
    return utterances, last_word_end


# --------------------------------------------------------------------------
# Traces.
# --------------------------------------------------------------------------

def traces(rng: random.Random, begin: float, end: float, decimals: int) -> list[list[dict]]:
    """Mouse traces spanning [begin, end] in 1-4 segments with pen-up gaps.

    The pointer follows a damped pursuit of random targets (objects being
    described); runs of points cross the image border slightly.
    """
    rnd = rng.random
    uni = rng.uniform
    nseg = rng.choices(SEGMENT_COUNTS, SEGMENT_WEIGHTS)[0]
    gaps = [uni(*PEN_UP_GAP) for _ in range(nseg - 1)]
    active = max(end - begin - sum(gaps), 0.5 * (end - begin), 1.0)
    weights = [rnd() + 0.3 for _ in range(nseg)]
    total_w = sum(weights)
    dt_mean = uni(*POINT_DT)
    dt_lo, dt_hi = 0.7 * dt_mean, 1.3 * dt_mean

    x, y = uni(0.1, 0.9), uni(0.1, 0.9)
    vx = vy = 0.0
    tx, ty = uni(0.05, 0.95), uni(0.05, 0.95)
    excursion = 0
    edge_x = edge_y = None
    t = begin
    segments = []
    for k in range(nseg):
        seg_end = t + active * weights[k] / total_w
        pts = []
        while True:
            # Pursue the current target with inertia and a little jitter.
            vx = 0.82 * vx + 0.06 * (tx - x) + (rnd() - 0.5) * 0.012
            vy = 0.82 * vy + 0.06 * (ty - y) + (rnd() - 0.5) * 0.012
            x += vx
            y += vy
            x = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)
            y = 0.0 if y < 0.0 else (1.0 if y > 1.0 else y)
            dx, dy = tx - x, ty - y
            if dx * dx + dy * dy < 0.0009 or rnd() < 0.02:
                tx, ty = uni(0.03, 0.97), uni(0.03, 0.97)
            px, py = x, y
            if excursion:
                excursion -= 1
                if edge_x is not None:
                    px = edge_x
                else:
                    py = edge_y
            elif rnd() < OUT_OF_BAND_RUN_P:
                excursion = rng.randint(*OUT_OF_BAND_RUN_LEN) - 1
                beyond = uni(0.001, OUT_OF_BAND_MAX)
                if rnd() < 0.5:
                    edge_x, edge_y = (-beyond if x < 0.5 else 1.0 + beyond), None
                    px = edge_x
                else:
                    edge_x, edge_y = None, (-beyond if y < 0.5 else 1.0 + beyond)
                    py = edge_y
            pts.append({"x": round(px, 4), "y": round(py, 4), "t": round(t, decimals)})
            t += uni(dt_lo, dt_hi)
            if t > seg_end:
                break
        segments.append(pts)
        if k < nseg - 1:
            t += gaps[k]
    return segments


# --------------------------------------------------------------------------
# Narratives, malformed lines, serialisation.
# --------------------------------------------------------------------------

def narrative(rng: random.Random, image_id: str, annotator: int) -> dict:
    """One valid LN record."""
    decimals = rng.choices([d for d, _ in TIME_DECIMALS], [w for _, w in TIME_DECIMALS])[0]
    caption = CaptionMaker(rng).caption()
    speech_start = rng.uniform(0.2, 1.5)
    utterances, speech_end = timed_caption(rng, caption, speech_start, decimals)
    record = {
        "dataset_id": DATASET_ID,
        "image_id": image_id,
        "annotator_id": annotator,
        "caption": caption,
        "timed_caption": utterances,
    }
    if rng.random() >= NO_TRACES_P:
        begin = max(0.0, speech_start + rng.uniform(-0.3, 0.5))
        end = speech_end + rng.uniform(-0.3, 0.6)
        record["traces"] = traces(rng, begin, end, decimals)
    record["voice_recording"] = (
        f"{DATASET_ID}/{DATASET_ID}_{image_id}_{annotator}.ogg")
    return record


def dumps(record: dict) -> bytes:
    """Serialise like the released LN files (json.dumps default separators)."""
    if _orjson is None:
        return json.dumps(record).encode()
    raw = _orjson.dumps(record)
    # orjson is compact; re-insert the spaces after structural ':' and ','.
    # '":' only ends keys; ',' is structural when followed by '"key', '{' or '['
    # (a string value ending in ',' is followed by '",' or '"}', never '"<letter>').
    raw = raw.replace(b'":', b'": ')
    return _SPACE_COMMA_RE.sub(b", ", raw)


def malformed(rng: random.Random, record: dict) -> bytes:
    """Serialise a record broken in one of BAD_KINDS ways."""
    kind = rng.choice(BAD_KINDS)
    segs = record.get("traces") or []
    if kind in ("string_number", "nan_token", "t_backwards") and not any(len(s) >= 3 for s in segs):
        kind = "missing_caption"
    if kind == "truncated":
        line = dumps(record)
        return line[:rng.randrange(1, len(line) - 1)]
    if kind == "missing_caption":
        del record["caption"]
        return dumps(record)
    if kind == "empty_caption":
        record["caption"] = ""
        return dumps(record)
    seg = rng.choice([s for s in segs if len(s) >= 3])
    i = rng.randrange(1, len(seg))
    if kind == "string_number":
        key = rng.choice(("x", "y", "t"))
        seg[i][key] = str(seg[i][key])
        return dumps(record)
    if kind == "nan_token":
        seg[i][rng.choice(("x", "y", "t"))] = "__NaN__"
        return dumps(record).replace(b'"__NaN__"', b"NaN")
    # t_backwards
    seg[i]["t"] = round(seg[i - 1]["t"] - rng.uniform(0.05, 0.5), 4)
    return dumps(record)


def chunk_lines(seed: int, index: int, bad_fraction: float) -> list[bytes]:
    """The lines (newline-terminated) of chunk `index` for `seed`."""
    rng = random.Random(seed * 1_000_003 + index)
    lines: list[bytes] = []
    pending: list[tuple[int, bytes]] = []   # second narratives, placed later
    while len(lines) < LINES_PER_CHUNK:
        image_id = "%016x" % rng.getrandbits(64)
        annotators = [rng.randrange(ANNOTATORS)]
        if rng.random() < SECOND_NARRATIVE_P:
            annotators.append((annotators[0] + rng.randrange(1, ANNOTATORS)) % ANNOTATORS)
        for n, annotator in enumerate(annotators):
            record = narrative(rng, image_id, annotator)
            if bad_fraction > 0 and rng.random() < bad_fraction:
                line = malformed(rng, record)
            else:
                line = dumps(record)
            if n == 0:
                lines.append(line + b"\n")
            else:
                pending.append((len(lines) + rng.randrange(1, 40), line + b"\n"))
        if pending:
            here = len(lines)
            lines.extend(line for pos, line in pending if pos <= here)
            pending = [(pos, line) for pos, line in pending if pos > here]
    lines.extend(line for _, line in pending)
    return lines


def _chunk_job(args: tuple[int, int, float, bool]) -> tuple[list[bytes], bytes | None]:
    """Worker entry: a chunk's lines, plus its gzip member if requested."""
    seed, index, bad_fraction, compress = args
    lines = chunk_lines(seed, index, bad_fraction)
    member = gzip.compress(b"".join(lines), compresslevel=6, mtime=0) if compress else None
    return lines, member


# --------------------------------------------------------------------------
# Driver.
# --------------------------------------------------------------------------

def _meta_path(path: str) -> str:
    return path + ".meta"


def _generator_digest() -> str:
    """Short hash of this script, so edits to the generator invalidate old corpora."""
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def _wanted_meta(mb: float, seed: int, bad_fraction: float, gz: bool) -> dict:
    return {"generator_version": GENERATOR_VERSION, "generator_sha256": _generator_digest(),
            "mb": mb, "seed": seed, "bad_fraction": bad_fraction, "gzip": gz}


def existing_meta(path: str, mb: float, seed: int, bad_fraction: float = 0.0,
                  gz: bool = False) -> dict | None:
    """The sidecar of an up-to-date existing output, or None."""
    try:
        with open(_meta_path(path)) as f:
            meta = json.load(f)
        size = os.path.getsize(path)
    except (OSError, ValueError):
        return None
    wanted = _wanted_meta(mb, seed, bad_fraction, gz)
    if all(meta.get(k) == v for k, v in wanted.items()) and meta.get("file_bytes") == size:
        return meta
    return None


def generate(path: str, mb: float, seed: int, bad_fraction: float = 0.0,
             gz: bool = False, workers: int | None = None, log=print) -> dict:
    """Write the corpus unless an identical one exists; return its metadata.

    Whole lines are written until the uncompressed size reaches mb * 1e6 bytes.
    """
    meta = existing_meta(path, mb, seed, bad_fraction, gz)
    if meta is not None:
        log(f"{path}: up to date ({meta['bytes'] / 1e6:.1f} MB, {meta['lines']} lines), "
            f"not regenerated")
        return meta
    target = int(mb * 1e6)
    workers = workers or os.cpu_count() or 1
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    started = time.perf_counter()
    written = lines_out = 0
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(workers) as pool, open(tmp, "wb") as out:
        pending: collections.deque = collections.deque()
        next_index = 0
        done = False
        while not done:
            while len(pending) < 2 * workers:
                pending.append(pool.apply_async(_chunk_job, ((seed, next_index, bad_fraction, gz),)))
                next_index += 1
            lines, member = pending.popleft().get()
            chunk_bytes = sum(map(len, lines))
            if written + chunk_bytes < target:
                out.write(member if gz else b"".join(lines))
                written += chunk_bytes
                lines_out += len(lines)
                continue
            kept = []
            for line in lines:
                kept.append(line)
                written += len(line)
                if written >= target:
                    break
            lines_out += len(kept)
            data = b"".join(kept)
            out.write(gzip.compress(data, compresslevel=6, mtime=0) if gz else data)
            done = True
        pool.terminate()
    os.replace(tmp, path)
    elapsed = time.perf_counter() - started
    meta = _wanted_meta(mb, seed, bad_fraction, gz)
    meta.update(bytes=written, lines=lines_out, file_bytes=os.path.getsize(path),
                seconds=round(elapsed, 2), serializer="orjson" if _orjson else "json")
    with open(_meta_path(path) + ".tmp", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(_meta_path(path) + ".tmp", _meta_path(path))
    log(f"{path}: wrote {written / 1e6:.1f} MB, {lines_out} lines in {elapsed:.1f} s "
        f"({written / 1e6 / elapsed:.0f} MB/s, {workers} workers)")
    return meta


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="output JSONL file")
    p.add_argument("--mb", type=float, default=200, help="size in MB (1e6 bytes, uncompressed)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bad-fraction", type=float, default=0.0,
                   help="fraction of malformed lines (default 0)")
    p.add_argument("--gzip", action="store_true", help="gzip the output (size counts uncompressed bytes)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: CPU count)")
    a = p.parse_args(argv)
    if not 0.0 <= a.bad_fraction <= 1.0:
        p.error("--bad-fraction must be in [0, 1]")
    generate(a.out, a.mb, a.seed, a.bad_fraction, a.gzip, a.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
