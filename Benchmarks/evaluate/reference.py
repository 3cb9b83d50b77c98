#!/usr/bin/env python3
"""The computation of `pointillist evaluate`, written with numpy, pandas and Pillow: the
benchmark's reference, and a second reading of the counting rules (Sources/Scoring/IoU.swift).

  reference.py [--points CSV]... --method NAME=DIR... [--masks DIR] [--draws D]
               [--points-per-image P] [--seed S] [--min-points N] --out DIR

Masks: class-index layout only ({id}.png, 8-bit grey, classes.tsv in the folder or beside it).
Writes DIR/methods.csv in pointillist's layout (method, points, point_miou, classes,
few_point_classes, points_counted, dense_miou), so the two can be compared row by row.
"""

import argparse
import os
import sys

import numpy as np
import pandas as pd
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "questions"))
from reference import MASK, fnv1a, mix  # noqa: E402  (the project's FNV-1a and SplitMix64 finaliser)

GOLDEN = 0x9E3779B97F4A7C15


class Classes:
    """Point-label classes by Label first, then mask classes matched by label or name."""

    def __init__(self):
        self.labels, self.index, self.by_name = [], {}, {}

    def add(self, label, name):
        i = len(self.labels)
        self.labels.append(label)
        self.index[label] = i
        self.by_name.setdefault(name.lower(), i)
        return i

    def point_class(self, label, name):
        return self.index[label] if label in self.index else self.add(label, name or label)

    def mask_class(self, name):
        if name in self.index:
            return self.index[name]
        if name.lower() in self.by_name:
            return self.by_name[name.lower()]
        return self.add(name, name)


def read_table(folder, classes):
    for path in (os.path.join(folder, "classes.tsv"), os.path.join(os.path.dirname(os.path.abspath(folder)), "classes.tsv")):
        if os.path.exists(path):
            lut = np.full(65536, -1, np.int64)
            with open(path) as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if line.startswith("#") or len(parts) < 2 or not parts[0].lstrip("-").isdigit() or not parts[1] or parts[1] == "void":
                        continue
                    v = int(parts[0])
                    if 1 <= v <= 65535:
                        lut[v] = classes.mask_class(parts[1])
            return lut
    raise SystemExit(f"{folder}: no classes.tsv")


def read_mask(folder, image_id, lut):
    path = os.path.join(folder, image_id + ".png")
    if not os.path.exists(path):
        return None
    with Image.open(path) as im:
        return lut[np.asarray(im)]


def read_points(paths, classes):
    frames = [pd.read_csv(p, usecols=["ImageId", "X", "Y", "Label", "EstimatedYesNo", "TextLabel"],
                          dtype={"ImageId": str, "Label": str, "EstimatedYesNo": str, "TextLabel": str},
                          keep_default_na=False) for p in paths]
    df = pd.concat(frames, ignore_index=True)
    df = df[df.EstimatedYesNo != "unsure"]
    first_names = df.drop_duplicates("Label")
    for label, name in zip(first_names.Label, first_names.TextLabel):
        classes.point_class(label, name)
    cls = df.Label.map(classes.index).to_numpy(np.int64)
    x = df.X.to_numpy(np.float64).astype(np.float32) + np.float32(0)  # -0 is 0, as pointillist reads it
    y = df.Y.to_numpy(np.float64).astype(np.float32) + np.float32(0)
    yes = (df.EstimatedYesNo == "yes").to_numpy()
    image_codes, image_ids = pd.factorize(df.ImageId, sort=False)
    point, _ = pd.factorize(pd.MultiIndex.from_arrays([image_codes, x.view(np.int32), y.view(np.int32)]))
    e = pd.DataFrame({"point": point, "cls": cls, "yes": yes}).drop_duplicates()
    both = e.groupby(["point", "cls"]).yes.transform("nunique") > 1
    e = e[~both]
    points = pd.DataFrame({"point": point, "image": image_codes, "x": x, "y": y}).drop_duplicates("point").sort_values("point")
    return {"image_ids": list(image_ids), "p_image": points.image.to_numpy(), "p_x": points.x.to_numpy(),
            "p_y": points.y.to_numpy(), "e_point": e.point.to_numpy(), "e_cls": e.cls.to_numpy(), "e_yes": e.yes.to_numpy()}


def pixel(v, size):
    return np.clip(np.floor(v * np.float32(size)).astype(np.int64), 0, size - 1)


def count_points(pred, lab, k, counts):
    """pred: the predicted class per point (-1 none); lab: read_points' arrays."""
    tp, fp, fn = counts
    ep, ec, ey = lab["e_point"], lab["e_cls"], lab["e_yes"]
    hit = pred[ep[ey]] == ec[ey]
    tp += np.bincount(ec[ey][hit], minlength=k)
    fn += np.bincount(ec[ey][~hit], minlength=k)
    yes_keys = ep[ey] * k + ec[ey]
    no_keys = ep[~ey] * k + ec[~ey]
    any_yes = np.zeros(len(pred), bool)
    any_yes[ep[ey]] = True
    points = np.arange(len(pred))
    keys = points * k + pred
    fp_mask = (pred >= 0) & ~np.isin(keys, yes_keys) & (any_yes | np.isin(keys, no_keys))
    fp += np.bincount(pred[fp_mask], minlength=k)


def count_pixels(g, p, k, counts):
    tp, fp, fn = counts
    valid = g >= 0
    g, p = g[valid], p[valid]
    eq = g == p
    tp += np.bincount(g[eq], minlength=k)
    fn += np.bincount(g[~eq], minlength=k)
    wrong = p[~eq]
    fp += np.bincount(wrong[wrong >= 0], minlength=k)


def draw_pixels(image_id, draw, count, pixels, seed):
    state = fnv1a(f"{seed}/{draw}/{image_id}")
    out = np.empty(count, np.int64)
    for i in range(count):
        state = (state + GOLDEN) & MASK
        out[i] = mix(state) % pixels
    return out


def summary(counts, min_points):
    tp, fp, fn = counts
    support = tp + fp + fn
    scored = support > 0
    if not scored.any():
        return None, 0, 0, 0
    iou = tp[scored] / support[scored]
    return iou.mean(), int(scored.sum()), int((support[scored] < min_points).sum()), int(support.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", action="append", default=[])
    ap.add_argument("--method", action="append", required=True)
    ap.add_argument("--masks")
    ap.add_argument("--draws", type=int, default=0)
    ap.add_argument("--points-per-image", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-points", type=int, default=100)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    classes = Classes()
    lab = read_points(a.points, classes) if a.points else None
    truth_lut = read_table(a.masks, classes) if a.masks else None
    methods = [m.split("=", 1) for m in a.method]
    luts = [read_table(d, classes) for _, d in methods]
    k = len(classes.labels)
    ids = list(lab["image_ids"]) if lab else []
    if a.masks:
        known = set(ids)
        ids += sorted(n[:-4] for n in os.listdir(a.masks) if n.endswith(".png") and n[:-4] not in known)
    zeros = lambda: [np.zeros(k, np.int64) for _ in range(3)]  # noqa: E731
    point_counts = [zeros() for _ in methods]
    dense_counts = [zeros() for _ in methods]
    draw_counts = [[zeros() for _ in range(a.draws)] for _ in methods]
    if lab:
        order = np.argsort(lab["p_image"], kind="stable")
        bounds = np.searchsorted(lab["p_image"][order], np.arange(len(lab["image_ids"]) + 1))
        preds = [np.full(len(lab["p_image"]), -1, np.int64) for _ in methods]
    for n, image_id in enumerate(ids):
        truth = read_mask(a.masks, image_id, truth_lut) if a.masks else None
        picks = []
        if truth is not None:
            for d in range(a.draws):
                px = draw_pixels(image_id, d, a.points_per_image, truth.size, a.seed)
                picks.append(px)
        for m, (_, folder) in enumerate(methods):
            pred = read_mask(folder, image_id, luts[m])
            if lab and n < len(lab["image_ids"]):
                sel = order[bounds[n]:bounds[n + 1]]
                if pred is not None:
                    h, w = pred.shape
                    preds[m][sel] = pred[pixel(lab["p_y"][sel], h), pixel(lab["p_x"][sel], w)]
            if truth is None:
                continue
            if pred is None:
                pred = np.full(truth.shape, -1, np.int64)
            count_pixels(truth.ravel(), pred.ravel(), k, dense_counts[m])
            for d, px in enumerate(picks):
                count_pixels(truth.ravel()[px], pred.ravel()[px], k, draw_counts[m][d])
    if lab:
        for m in range(len(methods)):
            count_points(preds[m], lab, k, point_counts[m])
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "methods.csv"), "w") as f:
        f.write("method,points,point_miou,classes,few_point_classes,points_counted,dense_miou\n")
        for m, (name, _) in enumerate(methods):
            dense = summary(dense_counts[m], a.min_points)[0] if a.masks else None
            rows = ([("labels", point_counts[m])] if lab else []) + [(f"draw {d + 1}", c) for d, c in enumerate(draw_counts[m])]
            for source, counts in rows:
                mean, scored, few, support = summary(counts, a.min_points)
                fmt = lambda v: "" if v is None else "%.6f" % v  # noqa: E731
                f.write(f"{name},{source},{fmt(mean)},{scored},{few},{support},{fmt(dense)}\n")


if __name__ == "__main__":
    main()
