#!/usr/bin/env python3
"""Rewrites a JSONL corpus (make_corpus.py's) into shapes its generator does not write, to
measure ingest on numbers and captions it was not tuned for: coordinates scaled by 1.3 and
shifted by -0.15 (many negative or above 1) with 2, 3 or 5 decimals, trace times
t * 3.1 + 10 with three decimals (two integer digits), utterance times with two decimals,
and every fifth caption four times as long (the copies unspoken). Seeded.

usage: reshape_corpus.py INPUT OUTPUT [--seed N]
"""
import argparse
import json
import random

import orjson


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lines = 0
    with open(args.input, "rb") as source, open(args.output, "w") as out:
        for raw in source:
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            if lines % 5 == 0:
                record["caption"] = " ".join([record.get("caption", "")] * 4)
            for segment in record.get("traces", []):
                for point in segment:
                    point["x"] = round(point["x"] * 1.3 - 0.15, rng.choice([2, 3, 5]))
                    point["y"] = round(point["y"] * 1.3 - 0.15, rng.choice([2, 3, 5]))
                    point["t"] = round(point["t"] * 3.1 + 10, 3)
            for utterance in record.get("timed_caption", []):
                for key in ("start_time", "end_time"):
                    if utterance[key]:
                        utterance[key] = round(utterance[key] * 3.1 + 10, 2)
            out.write(json.dumps(record) + "\n")
            lines += 1
    print(f"{lines} lines -> {args.output}")


if __name__ == "__main__":
    main()
