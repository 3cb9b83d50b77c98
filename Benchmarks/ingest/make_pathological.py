#!/usr/bin/env python3
"""Writes a JSONL file of pathological Localized Narratives lines between ordinary ones:
megabyte captions spoken in hundreds of thousands of utterances, a caption whose
utterances share no word with it (the aligner's worst case), a trace of a million points,
and one line longer than the ingest's default --max-line-bytes. Seeded: the same file
every time."""
import argparse
import json
import random

WORDS = ["dog", "grass", "a", "red", "car", "on", "the", "left", "tree", "sky", "woman", "bag"]
OTHER = ["house", "road", "lamp", "cloud", "bench", "river", "stone", "door"]


def ordinary(rng, index):
    words = [rng.choice(WORDS) for _ in range(40)]
    utterances, traces, t = [], [], 0.5
    for i in range(0, len(words), 3):
        chunk = words[i:i + 3]
        utterances.append({"utterance": " ".join(chunk), "start_time": round(t, 3), "end_time": round(t + 0.9, 3)})
        for _ in range(18):
            traces.append({"x": round(rng.random(), 4), "y": round(rng.random(), 4), "t": round(t, 3)})
            t += 0.05
    return {"dataset_id": "bench", "image_id": f"ordinary{index:06d}", "annotator_id": 1, "caption": " ".join(words),
            "timed_caption": utterances, "traces": [traces]}


def spoken(rng, image_id, words, per_utterance):
    text = [rng.choice(WORDS) for _ in range(words)]
    utterances = [{"utterance": " ".join(text[i:i + per_utterance]), "start_time": round(i * 0.01, 3),
                   "end_time": round(i * 0.01 + 0.03, 3)} for i in range(0, words, per_utterance)]
    return {"dataset_id": "bench", "image_id": image_id, "annotator_id": 1, "caption": " ".join(text),
            "timed_caption": utterances, "traces": [[{"x": 0.5, "y": 0.5, "t": 1.0}]]}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    special = [
        # A 1 MB caption in one utterance, and one in 85,000 utterances of three words.
        spoken(rng, "caption-one-utterance", 250_000, 250_000),
        spoken(rng, "caption-85k-utterances", 250_000, 3),
        # 300,000 one-word utterances.
        spoken(rng, "utterances-300k", 300_000, 1),
        # 100,000 caption words against 100,000 different spoken words.
        {"dataset_id": "bench", "image_id": "unrelated-utterances", "annotator_id": 1,
         "caption": " ".join(rng.choice(WORDS) for _ in range(100_000)),
         "timed_caption": [{"utterance": " ".join(rng.choice(OTHER) for _ in range(100_000)),
                            "start_time": 1.0, "end_time": 90.0}],
         "traces": [[{"x": 0.5, "y": 0.5, "t": 1.0}]]},
        # A trace of a million points.
        {"dataset_id": "bench", "image_id": "trace-1m-points", "annotator_id": 1, "caption": "a dog on the grass",
         "timed_caption": [{"utterance": "a dog on the grass", "start_time": 1.0, "end_time": 999.0}],
         "traces": [[{"x": round(rng.random(), 4), "y": round(rng.random(), 4), "t": round(i * 0.001, 3)}
                     for i in range(1_000_000)]]},
        # 10 MB of caption: over the default limit, rejected without being read whole.
        spoken(rng, "caption-10mb", 2_700_000, 2_700_000),
    ]
    with open(args.output, "w") as out:
        index = 0
        for line in special:
            for _ in range(200):
                out.write(json.dumps(ordinary(rng, index)) + "\n")
                index += 1
            out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
