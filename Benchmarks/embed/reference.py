#!/usr/bin/env python3
"""numpy reference for Benchmarks/embed: the same MLP (ReLU hidden layers, linear output,
softmax cross-entropy, Adam with decoupled weight decay), the same shapes and batch size as
`pointillist embed bench`, on the same kind of synthetic data. Prints points/s for training
and for embedding, in the same format as `pointillist embed bench`.

numpy's own OpenBLAS does the matrix products; like pointillist, it is held to one thread
(OPENBLAS_NUM_THREADS=1 is set before numpy is imported) so the comparison is like for like.
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--points", type=int, default=200_000)
    p.add_argument("--features", type=int, default=28)
    p.add_argument("--classes", type=int, default=200)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--dimension", type=int, default=64)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    rng = np.random.default_rng(a.seed)
    d, k = a.features, a.classes
    centres = rng.uniform(-2, 2, size=(k, d)).astype(np.float32)
    labels = np.arange(a.points) % k
    x = centres[labels] + rng.uniform(-0.5, 0.5, size=(a.points, d)).astype(np.float32)
    mean, std = x.mean(0), x.std(0) + 1e-6
    x = ((x - mean) / std).astype(np.float32)

    sizes = [d, a.hidden, a.dimension, k]
    weights = [(rng.uniform(-1, 1, size=(i, o)) * np.sqrt(6.0 / i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
    biases = [np.zeros(o, np.float32) for o in sizes[1:]]
    params = weights + biases
    m = [np.zeros_like(t) for t in params]
    v = [np.zeros_like(t) for t in params]
    lr, b1, b2, eps, decay = 2e-3, 0.9, 0.999, 1e-8, 1e-4
    step = 0

    t0 = time.perf_counter()
    for _ in range(a.epochs):
        order = rng.permutation(a.points)
        for s in range(0, a.points, a.batch):
            idx = order[s:s + a.batch]
            xb, yb = x[idx], labels[idx]
            n = len(idx)
            acts = [xb]
            for layer, (w, b) in enumerate(zip(weights, biases)):
                z = acts[-1] @ w + b
                if layer < len(weights) - 1:
                    z = np.maximum(z, 0)
                acts.append(z)
            logits = acts[-1]
            logits = logits - logits.max(1, keepdims=True)
            e = np.exp(logits)
            prob = e / e.sum(1, keepdims=True)
            delta = prob
            delta[np.arange(n), yb] -= 1
            delta /= n
            grads_w, grads_b = [None] * len(weights), [None] * len(weights)
            for layer in range(len(weights) - 1, -1, -1):
                grads_w[layer] = acts[layer].T @ delta
                grads_b[layer] = delta.sum(0)
                if layer > 0:
                    delta = (delta @ weights[layer].T) * (acts[layer] > 0)
            step += 1
            c1, c2 = 1 - b1 ** step, 1 - b2 ** step
            for i, (t, g) in enumerate(zip(params, grads_w + grads_b)):
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                wd = decay if i < len(weights) else 0.0
                t -= lr * ((m[i] / c1) / (np.sqrt(v[i] / c2) + eps) + wd * t)
    t1 = time.perf_counter()
    total = 0
    for s in range(0, a.points, 4096):
        h = x[s:s + 4096]
        for w, b in zip(weights[:-1], biases[:-1]):
            h = np.maximum(h @ w + b, 0)
        h = h / np.maximum(np.linalg.norm(h, axis=1, keepdims=True), 1e-12)
        total += h.size
    t2 = time.perf_counter()
    print(f"training    {a.points * a.epochs / (t1 - t0):.0f} points/s ({t1 - t0:.3f} s)")
    print(f"embedding   {a.points / (t2 - t1):.0f} points/s ({t2 - t1:.3f} s)")


if __name__ == "__main__":
    main()
