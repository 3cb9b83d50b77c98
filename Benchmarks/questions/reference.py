#!/usr/bin/env python3
"""numpy + Pillow reference for the question stage of `pointillist questions sample`.

Written from the descriptions in Sources/ (no code shared), for Benchmarks/questions:

  for every image that has mentions (in image-id order):
    decode the PNG with Pillow
    pixel features (Sources/Embedding/Features.swift): L*a*b* at the pixel, and per window
      scale the mean L*a*b*, std of L*, mean |grad L|, structure-tensor orientation
      (cos 2θ, sin 2θ weighted by coherence), then the normalised position; window sums come
      from summed-area tables of 8 planes, all vectorised over the points
    exemplars: each mention's trace points, at most 40 per mention evenly spaced
      (every ceil(n/40)-th point), as in Sources/Store/PointModels.swift
    embed: standardise, MLP forward to the last hidden layer (ReLU), L2-normalise
    11 sampled points: by default the same deterministic best-candidate sampler as ours
      (SplitMix64 seeded from FNV-1a of the image id, 24 candidates per point, torus
      distance), so the results can be compared point for point; --sampler random draws
      numpy uniform points instead
    M: per class the mean cosine similarity of its k=15 most similar exemplars; classes
      ranked by score (then id), then the mentioned classes without exemplars in id order
  results go to a fresh SQLite file (table question_points, same columns as ours)

Runs single-threaded (set OPENBLAS_NUM_THREADS=1 before starting it; the sgemm calls are
tiny anyway).  Prints one JSON line with counts and per-phase seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import struct
import sys
import time

import numpy as np
from PIL import Image

MASK = (1 << 64) - 1


# ---------------------------------------------------------------- model file

def read_model(path: str) -> dict:
    """Parse the PTLEMBED file (version 1 or 2): magic, u32 version, u32 header length, JSON
    header, float32 mean and scale, then per layer weights (inputs x outputs) and biases, then
    (version 2) the exemplar bank's rows, which M uses only for --bank-weight (not read here)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"PTLEMBED":
        raise SystemExit(f"{path}: not an embedding model")
    version, hlen = struct.unpack_from("<II", data, 8)
    if version not in (1, 2):
        raise SystemExit(f"{path}: model version {version}, expected 1 or 2")
    header = json.loads(data[16:16 + hlen])
    offset = 16 + hlen

    def take(n: int) -> np.ndarray:
        nonlocal offset
        a = np.frombuffer(data, dtype="<f4", count=n, offset=offset).astype(np.float32)
        offset += 4 * n
        return a

    feats = header["features"]
    d = 3 + 7 * len(feats["scales"]) + (2 if feats["position"] else 0)
    mean, scale = take(d), take(d)
    layers = []
    for inputs, outputs in header["layers"]:
        w = take(inputs * outputs).reshape(inputs, outputs)
        b = take(outputs)
        layers.append((w, b))
    offset += 4 * sum(header.get("bank") or []) * header["layers"][-1][0]
    if offset + 8 != len(data):
        raise SystemExit(f"{path}: unexpected length")
    return {"features": feats, "dimension": d, "mean": mean,
            "inverse_scale": (np.float32(1) / scale).astype(np.float32), "layers": layers,
            "classes": [c["id"] for c in header["classes"]]}


def embed(model: dict, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """L2-normalised embeddings (last hidden layer, ReLU) of raw feature rows (float32), and
    the classifier's logits (the last layer on the unnormalised embedding)."""
    x = (raw - model["mean"]) * model["inverse_scale"]
    for w, b in model["layers"][:-1]:
        x = x @ w
        x += b
        np.maximum(x, 0, out=x)
    w, b = model["layers"][-1]
    logits = x @ w + b
    norm = np.sqrt(np.einsum("ij,ij->i", x, x))
    nz = norm > 0
    x[nz] /= norm[nz, None]
    return x, logits


# ---------------------------------------------------------------- features

LINEAR = np.array([(i / 255) / 12.92 if i / 255 <= 0.04045 else ((i / 255 + 0.055) / 1.055) ** 2.4
                   for i in range(256)], dtype=np.float64)
EPSILON = 216.0 / 24389.0
KAPPA = 24389.0 / 27.0


def lab_image(rgb: np.ndarray) -> np.ndarray:
    """sRGB (h, w, 3) uint8 -> CIE L*a*b* (D65) as float32 (h, w, 3)."""
    rl, gl, bl = LINEAR[rgb[..., 0]], LINEAR[rgb[..., 1]], LINEAR[rgb[..., 2]]
    x = (0.4124564 * rl + 0.3575761 * gl + 0.1804375 * bl) / 0.95047
    y = 0.2126729 * rl + 0.7151522 * gl + 0.0721750 * bl
    z = (0.0193339 * rl + 0.1191920 * gl + 0.9503041 * bl) / 1.08883

    def f(t: np.ndarray) -> np.ndarray:
        return np.where(t > EPSILON, np.cbrt(t), (KAPPA * t + 16) / 116)

    fx, fy, fz = f(x), f(y), f(z)
    out = np.empty(rgb.shape[:2] + (3,), dtype=np.float32)
    out[..., 0] = 116 * fy - 16
    out[..., 1] = 500 * (fx - fy)
    out[..., 2] = 200 * (fy - fz)
    return out


def jpeg_scale(w: int, h: int, side: int) -> int:
    """The largest of 1, 2, 4, 8 whose scaled longer side, ceil(side / n), stays >= side (as ours)."""
    best = 1
    for n in (2, 4, 8):
        if max(-(-w // n), -(-h // n)) >= side:
            best = n
    return best


def box_reduce(rgb: np.ndarray, factor: int) -> np.ndarray:
    """Mean of factor x factor blocks, rounded half up; edge blocks hold what is left (as ours)."""
    if factor <= 1:
        return rgb
    h, w = rgb.shape[:2]
    rows, cols = np.arange(0, h, factor), np.arange(0, w, factor)
    sums = np.add.reduceat(np.add.reduceat(rgb.astype(np.uint32), rows, axis=0), cols, axis=1)
    counts = (np.minimum(rows + factor, h) - rows)[:, None] * (np.minimum(cols + factor, w) - cols)[None, :]
    counts = counts[..., None].astype(np.uint32)
    return ((sums + counts // 2) // counts).astype(np.uint8)


def load_rgb(path: str, side: int | None) -> np.ndarray:
    """The image at the model's working resolution: JPEG through Pillow's draft() (libjpeg-turbo's
    DCT scaling, the same scale as ours), PNG decoded whole and box-reduced by an integer factor."""
    with Image.open(path) as im:
        jpeg = im.format == "JPEG"
        if side and jpeg:
            w, h = im.size
            n = jpeg_scale(w, h, side)
            if n > 1:
                # draft() picks the largest scale with a result no smaller than asked for.
                im.draft("RGB", (w // n, h // n))
                assert im.size == (-(-w // n), -(-h // n)), (im.size, w, h, n)
        rgb = np.asarray(im if im.mode == "RGB" else im.convert("RGB"))
    if side and not jpeg:
        longer = max(rgb.shape[0], rgb.shape[1])
        rgb = box_reduce(rgb, max(1, longer // side))
    return rgb


class Features:
    """Summed-area tables of one image; features at arrays of pixel coordinates."""

    def __init__(self, rgb: np.ndarray, config: dict):
        self.h, self.w = rgb.shape[:2]
        self.lab = lab_image(rgb)
        L = self.lab[..., 0].astype(np.float64)
        # Central differences with clamped neighbours.
        left = np.concatenate([L[:, :1], L[:, :-1]], axis=1)
        right = np.concatenate([L[:, 1:], L[:, -1:]], axis=1)
        up = np.concatenate([L[:1], L[:-1]], axis=0)
        down = np.concatenate([L[1:], L[-1:]], axis=0)
        gx, gy = (right - left) / 2, (down - up) / 2
        planes = np.empty((8, self.h, self.w), dtype=np.float64)
        planes[0] = L
        planes[1] = self.lab[..., 1]
        planes[2] = self.lab[..., 2]
        planes[3] = L * L
        gxx, gyy = gx * gx, gy * gy
        planes[4] = np.sqrt(gxx + gyy)
        planes[5] = gxx
        planes[6] = gyy
        planes[7] = gx * gy
        # With a detail side the image is at the detail resolution and the tables' cells are the
        # means of pooling x pooling blocks (edge blocks hold what is left), as ours.
        working = config.get("workingSide")
        self.pooling = max(1, max(self.w, self.h) // working) if config.get("detailSide") and working else 1
        if self.pooling > 1:
            p = self.pooling
            rows, cols = np.arange(0, self.h, p), np.arange(0, self.w, p)
            sums = np.add.reduceat(np.add.reduceat(planes, rows, axis=1), cols, axis=2)
            counts = (np.minimum(rows + p, self.h) - rows)[:, None] * (np.minimum(cols + p, self.w) - cols)[None, :]
            planes = sums / counts[None].astype(np.float64)
        self.ch, self.cw = planes.shape[1:]
        t = np.zeros((8, self.ch + 1, self.cw + 1), dtype=np.float64)
        np.cumsum(planes, axis=2, out=planes)
        np.cumsum(planes, axis=1, out=t[:, 1:, 1:])
        self.tables = t.reshape(8, -1)
        factor = max(self.cw, self.ch) / config["referenceSide"]
        self.radii = [max(1, int(math.floor(s * factor + 0.5))) for s in config["scales"]]
        self.position = config["position"]
        self.dimension = 3 + 7 * len(self.radii) + (2 if self.position else 0)

    def pixel(self, nx: np.ndarray, ny: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Normalised float32 coordinates -> pixel indices: floor(x * width), clamped."""
        px = np.floor(nx.astype(np.float32) * np.float32(self.w)).astype(np.int64)
        py = np.floor(ny.astype(np.float32) * np.float32(self.h)).astype(np.int64)
        return np.clip(px, 0, self.w - 1), np.clip(py, 0, self.h - 1)

    def at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Feature rows (float32, n x dimension) at pixel coordinates x, y."""
        n = len(x)
        out = np.empty((n, self.dimension), dtype=np.float32)
        out[:, 0:3] = self.lab[y, x] / np.float32(100)
        pixel_x, pixel_y = x, y
        x, y = x // self.pooling, y // self.pooling
        w1 = self.cw + 1
        k = 3
        for r in self.radii:
            x0, x1 = np.maximum(x - r, 0), np.minimum(x + r + 1, self.cw)
            y0, y1 = np.maximum(y - r, 0), np.minimum(y + r + 1, self.ch)
            count = ((x1 - x0) * (y1 - y0)).astype(np.float64)
            t = self.tables
            m = (t[:, y1 * w1 + x1] - t[:, y0 * w1 + x1] - t[:, y1 * w1 + x0] + t[:, y0 * w1 + x0]) / count
            l = m[0]
            out[:, k] = l / 100
            out[:, k + 1] = m[1] / 100
            out[:, k + 2] = m[2] / 100
            out[:, k + 3] = np.sqrt(np.maximum(m[3] - l * l, 0)) / 50
            out[:, k + 4] = m[4] / 20
            trace = m[5] + m[6]
            ok = trace > 1e-9
            safe = np.where(ok, trace, 1.0)
            out[:, k + 5] = np.where(ok, (m[5] - m[6]) / safe, 0)
            out[:, k + 6] = np.where(ok, 2 * m[7] / safe, 0)
            k += 7
        if self.position:
            out[:, k] = (pixel_x.astype(np.float32) + np.float32(0.5)) / np.float32(self.w)
            out[:, k + 1] = (pixel_y.astype(np.float32) + np.float32(0.5)) / np.float32(self.h)
        return out


# ---------------------------------------------------------------- point sampling

def fnv1a(text: str) -> int:
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return h


def mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def stable_points(image_id: str, count: int, seed: int, candidates: int = 24) -> list[tuple[float, float]]:
    """Best-candidate (Mitchell) points on the torus from a SplitMix64 stream keyed by the
    image id, seed and purpose 1 -- the sampler described in Sources/Questions/Sampling.swift."""
    state = (mix(fnv1a(image_id)) + mix(seed ^ 0x517E5710E5) + mix((1 * 0x9E3779B97F4A7C15) & MASK)) & MASK

    def unit() -> float:
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        return (mix(state) >> 11) * 2.0 ** -53

    def nearest(x: float, y: float) -> float:
        best = math.inf
        for px, py in points:
            dx, dy = abs(px - x), abs(py - y)
            if dx > 0.5:
                dx = 1 - dx
            if dy > 0.5:
                dy = 1 - dy
            d = dx * dx + dy * dy
            if d < best:
                best = d
        return best

    points: list[tuple[float, float]] = []
    for _ in range(count):
        bx, by = unit(), unit()
        if points:
            bd = nearest(bx, by)
            for _ in range(1, candidates):
                x, y = unit(), unit()
                d = nearest(x, y)
                if d > bd:
                    bx, by, bd = x, y, d
        points.append((bx, by))
    return points


# ---------------------------------------------------------------- M

def log_softmax(logits: np.ndarray, columns: list[int]) -> np.ndarray:
    """Per row, the log-probabilities of `columns`, the softmax taken over those only."""
    z = logits[:, columns].astype(np.float64)
    top = z.max(axis=1, keepdims=True)
    return z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))


def plausible(labels: np.ndarray, logits: np.ndarray, mentioned: list[int], model_classes: list[int],
              threshold: float) -> np.ndarray:
    """Which exemplars M keeps: those whose class gets at least `threshold` probability
    among the image's classes the classifier knows (all, when it knows fewer than two);
    exemplars of other classes stay, and a class that would lose all its exemplars keeps them."""
    keep = np.ones(len(labels), dtype=bool)
    column = {c: i for i, c in enumerate(model_classes)}
    known = [c for c in mentioned if c in column]
    if threshold <= 0 or len(known) < 2:
        return keep
    logp = log_softmax(logits, [column[c] for c in known])
    for j, c in enumerate(known):
        rows = labels == c
        keep[rows] = logp[rows, j] >= np.log(threshold)
        if rows.any() and not keep[rows].any():
            keep[rows] = True
    return keep


def rank(exemplars: np.ndarray, labels: np.ndarray, queries: np.ndarray, k: int,
         logits: np.ndarray, mentioned: list[int], model_classes: list[int], prior: float) -> list[list[int]]:
    """Classes with exemplars ranked for each query by the mean cosine similarity of the
    class's k most similar exemplars, plus `prior` times the classifier's log-probability of
    the class among the image's classes it knows (the lowest of those for a class it does not
    know); ties: lower class id first."""
    e = exemplars.astype(np.float64)
    q = queries.astype(np.float64)
    en = np.sqrt(np.einsum("ij,ij->i", e, e))
    qn = np.sqrt(np.einsum("ij,ij->i", q, q))
    ei = np.divide(1.0, en, out=np.zeros_like(en), where=en > 0)
    qi = np.divide(1.0, qn, out=np.zeros_like(qn), where=qn > 0)
    sim = (q @ e.T) * qi[:, None] * ei[None, :]
    classes = np.unique(labels)
    scores = np.empty((len(q), len(classes)))
    for j, c in enumerate(classes):
        s = sim[:, labels == c]
        if s.shape[1] > k:
            s = np.partition(s, s.shape[1] - k, axis=1)[:, s.shape[1] - k:]
        scores[:, j] = s.mean(axis=1)
    column = {c: i for i, c in enumerate(model_classes)}
    known = [c for c in mentioned if c in column]
    if prior > 0 and len(known) >= 2:
        logp = log_softmax(logits, [column[c] for c in known])
        floor = logp.min(axis=1)
        term = np.repeat(floor[:, None], len(classes), axis=1)
        for j, c in enumerate(classes):
            if int(c) in known:
                term[:, j] = logp[:, known.index(int(c))]
        scores = scores + prior * term
    result = []
    for row in scores:
        order = np.lexsort((classes, -row))
        result.append(classes[order].tolist())
    return result


# ---------------------------------------------------------------- driver

def mentions_by_image(db: str) -> list[tuple[str, list[tuple[int, np.ndarray]]]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT n.image_id, m.class_id, m.points FROM mentions m JOIN narratives n ON n.id = m.narrative_id "
        "ORDER BY n.image_id, m.id")
    groups: list[tuple[str, list[tuple[int, np.ndarray]]]] = []
    for image_id, class_id, blob in rows:
        (segments,) = struct.unpack_from("<I", blob, 0)
        total = sum(struct.unpack_from(f"<{segments}I", blob, 4))
        pts = np.frombuffer(blob, dtype="<f4", count=3 * total, offset=4 + 4 * segments).reshape(total, 3)[:, :2]
        if groups and groups[-1][0] == image_id:
            groups[-1][1].append((class_id, pts))
        else:
            groups.append((image_id, [(class_id, pts)]))
    con.close()
    return groups


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--images", required=True)
    p.add_argument("--pattern", default="{id}.png")
    p.add_argument("--model", help="default: <db without .sqlite>.embedding")
    p.add_argument("--out", required=True, help="SQLite file for the results (replaced)")
    p.add_argument("--points", type=int, default=11)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--k", type=int, default=15)
    p.add_argument("--prior", type=float, default=0.5, help="weight of the classifier's log-probability (0: neighbours only)")
    p.add_argument("--exemplar-threshold", type=float, default=0.35,
                   help="leave out exemplars whose class is less probable than this among the image's classes (0: keep all)")
    p.add_argument("--per-mention", type=int, default=40)
    p.add_argument("--sampler", choices=["stable", "random"], default="stable")
    a = p.parse_args(argv)
    model_path = a.model or (os.path.splitext(a.db)[0] + ".embedding")

    start = time.perf_counter()
    phase = dict.fromkeys(["read", "decode", "features", "embed", "sample", "rank", "store"], 0.0)
    model = read_model(model_path)
    groups = mentions_by_image(a.db)
    phase["read"] = time.perf_counter() - start
    rng = np.random.default_rng(a.seed)
    results = []
    for image_id, mentions in groups:
        t0 = time.perf_counter()
        rgb = load_rgb(os.path.join(a.images, a.pattern.replace("{id}", image_id)),
                       model["features"].get("detailSide") or model["features"].get("workingSide"))
        t1 = time.perf_counter()
        feats = Features(rgb, model["features"])
        xs, ys, labels = [], [], []
        for class_id, pts in mentions:
            n = len(pts)
            if n == 0:
                continue
            step = max(1, -(-n // a.per_mention))
            chosen = pts[::step]
            xs.append(chosen[:, 0])
            ys.append(chosen[:, 1])
            labels.append(np.full(len(chosen), class_id))
        mentioned = sorted({c for c, _ in mentions})
        t2 = time.perf_counter()
        if a.sampler == "stable":
            samples = stable_points(image_id, a.points, a.seed)
        else:
            samples = [tuple(v) for v in rng.random((a.points, 2))]
        t3 = time.perf_counter()
        sx, sy = feats.pixel(np.array([s[0] for s in samples]), np.array([s[1] for s in samples]))
        if labels:
            ex, ey = feats.pixel(np.concatenate(xs), np.concatenate(ys))
            raw = feats.at(np.concatenate([ex, sx]), np.concatenate([ey, sy]))
        else:
            raw = feats.at(sx, sy)
        t4 = time.perf_counter()
        emb, logits = embed(model, raw)
        t5 = time.perf_counter()
        if labels:
            ne = len(raw) - len(samples)
            exemplar_labels = np.concatenate(labels)
            keep = plausible(exemplar_labels, logits[:ne], mentioned, model["classes"], a.exemplar_threshold)
            ranked = rank(emb[:ne][keep], exemplar_labels[keep], emb[ne:], a.k, logits[ne:], mentioned,
                          model["classes"], a.prior)
        else:
            ranked = [[] for _ in samples]
        ranked = [r + [c for c in mentioned if c not in r] for r in ranked]
        for index, ((x, y), r) in enumerate(zip(samples, ranked)):
            results.append((image_id, index, float(x), float(y), " ".join(map(str, r))))
        t6 = time.perf_counter()
        phase["decode"] += t1 - t0
        phase["features"] += (t2 - t1) + (t4 - t3)
        phase["sample"] += t3 - t2
        phase["embed"] += t5 - t4
        phase["rank"] += t6 - t5
    t0 = time.perf_counter()
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(a.out + suffix):
            os.remove(a.out + suffix)
    con = sqlite3.connect(a.out)
    con.execute("CREATE TABLE question_points (image_id TEXT NOT NULL, point_index INTEGER NOT NULL, "
                "x REAL NOT NULL, y REAL NOT NULL, ranked TEXT NOT NULL, PRIMARY KEY (image_id, point_index)) "
                "WITHOUT ROWID")
    with con:
        con.executemany("INSERT INTO question_points VALUES (?, ?, ?, ?, ?)", results)
    con.close()
    phase["store"] = time.perf_counter() - t0
    total = time.perf_counter() - start
    print(json.dumps({"images": len(groups), "points": len(results), "seconds": round(total, 4),
                      "phases": {k: round(v, 4) for k, v in phase.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
