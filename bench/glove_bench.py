#!/usr/bin/env python3
"""GloVe side by side: attn glove vs glove-python (PyPI bicleaner-ai-glove, the maintained fork of
maciejkula/glove-python: Cython co-occurrence counting and AdaGrad), on the same corpus, dim, window, epochs,
x_max, alpha, learning rate and threads. Timed with /usr/bin/time -v (CPU s, wall s, peak RSS); scored with
`attn eval-words` (Google analogy 3CosAdd over the top-30k words, WordSim-353 Spearman rho).

Differences that remain: glove-python keeps every word (we pass it the min_count vocabulary with
ignore_missing), stores the symmetric matrix once and writes W only; attn writes W + W~ by default, so attn is
also run with -model 1 (W only).

usage: .venv/bin/python bench/glove_bench.py [--corpus FILE] [--epochs 10] [--window 10] [--threads 2]
       [--attn-models 2,1]
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from word2vec_bench import evaluate, run_timed  # noqa: E402

PEER = r"""
import sys, collections
from glove import Corpus, Glove
corpus, out, dim, window, epochs, min_count, threads, lr = sys.argv[1:]
counts = collections.Counter()
for line in open(corpus, encoding="utf-8"):
    counts.update(line.split())
words = [w for w, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c >= int(min_count)]
dictionary = {w: i for i, w in enumerate(words)}
class Lines:
    def __iter__(self):
        for line in open(corpus, encoding="utf-8"):
            yield line.split()
c = Corpus(dictionary=dictionary)
c.fit(Lines(), window=int(window), ignore_missing=True)
g = Glove(no_components=int(dim), learning_rate=float(lr), alpha=0.75, max_count=100, random_state=1)
g.fit(c.matrix, epochs=int(epochs), no_threads=int(threads))
with open(out, "w", encoding="utf-8") as f:
    f.write(f"{len(words)} {dim}\n")
    for w in words:
        f.write(w + " " + " ".join(repr(float(x)) for x in g.word_vectors[dictionary[w]]) + "\n")
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "build", "embed-data", "gutenberg_half.txt"))
    ap.add_argument("--attn", default=os.path.join(ROOT, "build", "embed", "attn"))
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "embed-bench"))
    ap.add_argument("--attn-models", default="2,1", help="attn -model values to run: 2 = W + W~, 1 = W")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    common = ["-input", a.corpus, "-dim", str(a.dim), "-window", str(a.window), "-epoch", str(a.epochs),
              "-min-count", str(a.min_count), "-threads", str(a.threads), "-eta", "0.05", "-progress", "0",
              "-temp-dir", a.out]
    names = {"2": "attn W+W~", "1": "attn W"}
    runs = [(names[m], [a.attn, "glove", "-output", f"{a.out}/glove_attn{m}", "-model", m] + common,
             f"{a.out}/glove_attn{m}.bin") for m in a.attn_models.split(",") if m]
    runs += [("glove-python W", [sys.executable, "-c", PEER, a.corpus, f"{a.out}/glove_peer.vec", str(a.dim),
                                str(a.window), str(a.epochs), str(a.min_count), str(a.threads), "0.05"],
             f"{a.out}/glove_peer.vec")]
    print(f"corpus {a.corpus}; dim {a.dim} window {a.window} epochs {a.epochs} min_count {a.min_count} "
          f"threads {a.threads} x_max 100 alpha 0.75 eta 0.05")
    print("| GloVe | CPU s | wall s | peak RSS MB | analogy 3CosAdd % | analogy 3CosMul % | WS-353 ρ |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, cmd, vectors in runs:
        wall, cpu, rss, _ = run_timed(cmd)
        r = evaluate(a.attn, vectors)
        print(f"| {name} | {cpu:.1f} | {wall:.1f} | {rss:.0f} | {r['analogy_add']:.2f} | {r['analogy_mul']:.2f} | "
              f"{r['rho']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
