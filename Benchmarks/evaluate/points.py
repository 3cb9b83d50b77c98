#!/usr/bin/env python3
"""Writes point labels in Open Images V7's point-label layout for generated scenes, drawn from
their ground-truth masks, in shapes the reader was not tuned for.

  points.py --scenes DIR --rows N --out FILE.csv.gz [--seed S]

Per image, N / images points at uniform positions; X and Y written with 3 to 17 significant
decimals (as %.{k}g), some in exponent form; each point gets a verified label: Yes for the
class under it (60 %), No for another class (30 %), unsure (10 %); a fifth of the points get a
second row at the same position (the other answer for another class). Label is a MID-like id
per class, TextLabel the class name capitalised, quoted on 5 % of rows; Source is ih, cgt or
ln; rows of an image are together, images in a shuffled order; CRLF line ends on one file in
two (by seed). Prints the row count.
"""

import argparse
import gzip
import os
import random

import numpy as np
from PIL import Image


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scenes", required=True)
    p.add_argument("--rows", type=int, default=2_000_000)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    rng = random.Random(a.seed)
    names = {}
    with open(os.path.join(a.scenes, "classes.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0].isdigit() and parts[1] != "void":
                names[int(parts[0])] = parts[1]
    values = sorted(names)
    mid = {v: "/m/0%x" % (0x5a000 + 37 * v) for v in values}
    masks = os.path.join(a.scenes, "masks")
    ids = sorted(n[:-4] for n in os.listdir(masks) if n.endswith(".png"))
    rng.shuffle(ids)
    per_image = max(1, a.rows // len(ids))
    newline = "\r\n" if a.seed % 2 else "\n"
    rows = 0
    with gzip.open(a.out, "wt", newline="", compresslevel=6) as out:
        out.write("ImageId,X,Y,Label,EstimatedYesNo,Source,YesVotes,NoVotes,UnsureVotes,TextLabel" + newline)
        for image_id in ids:
            mask = np.asarray(Image.open(os.path.join(masks, image_id + ".png")))
            h, w = mask.shape
            n = 0
            while n < per_image:
                x, y = rng.random(), rng.random()
                truth = int(mask[min(int(y * h), h - 1), min(int(x * w), w - 1)])
                digits = rng.randint(3, 17)
                xs, ys = ("%.*g" % (digits, x), "%.*g" % (digits, y))
                if rng.random() < 0.02:
                    xs, ys = "%.6e" % x, "%.6e" % y
                labels = []
                r = rng.random()
                other = rng.choice([v for v in values if v != truth])
                if r < 0.6:
                    labels.append((truth, "yes"))
                elif r < 0.9:
                    labels.append((other, "no"))
                else:
                    labels.append((truth, "unsure"))
                if rng.random() < 0.2:
                    labels.append((other, "no") if labels[0][1] != "no" else (truth, "yes"))
                for value, answer in labels:
                    if n >= per_image:
                        break
                    yes, no, unsure = {"yes": (2, 0, 0), "no": (0, 2, 0), "unsure": (1, 1, 1)}[answer]
                    text = names[value].capitalize()
                    if rng.random() < 0.05:
                        text = '"' + text + '"'
                    source = rng.choice(["ih", "cgt", "ln"])
                    out.write(f"{image_id},{xs},{ys},{mid[value]},{answer},{source},{yes},{no},{unsure},{text}{newline}")
                    n += 1
                    rows += 1
    print(rows)


if __name__ == "__main__":
    main()
