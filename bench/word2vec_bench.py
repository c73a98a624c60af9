#!/usr/bin/env python3
"""Side-by-side Word2Vec benchmark: attn vs fastText (Debian `fasttext`) vs gensim (PyPI gensim==4.3.3).

Every tool trains on the same pre-tokenised corpus (bench/word2vec_corpus.py: one paragraph per line) with the
same dim, window, negatives, epochs, min_count, subsampling threshold, threads and initial learning rate.
Each run is timed end to end (vocabulary + training + writing vectors) with /usr/bin/time -v, which also gives
the peak RSS. Every result is scored by the same evaluator (`attn eval-words`, tested against gensim's
evaluate_word_analogies/evaluate_word_pairs): Google analogy accuracy (3CosAdd, top-30k words, as
compute-accuracy) and WordSim-353 Spearman rho. Runs of the tools are interleaved per seed, so background
load on a shared machine falls on all of them alike.

usage: .venv/bin/python bench/word2vec_bench.py [--corpus FILE] [--models skipgram,cbow] [--seeds 1,2,3]
       [--tools attn,fasttext,gensim] [--threads 2] [--epochs 5] [--out build/embed-bench]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "..", "shared", "data")

GENSIM = r"""
import sys
from gensim.models import Word2Vec
corpus, out, sg, dim, window, neg, epochs, min_count, sample, threads, seed, alpha = sys.argv[1:]
m = Word2Vec(corpus_file=corpus, sg=int(sg), vector_size=int(dim), window=int(window), negative=int(neg), hs=0,
             epochs=int(epochs), min_count=int(min_count), sample=float(sample), workers=int(threads),
             seed=int(seed), alpha=float(alpha))
m.wv.save_word2vec_format(out, binary=True)
"""


def run_timed(cmd):
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    return wall, cpu, rss_kb / 1024, p.stdout + p.stderr


def evaluate(attn, vectors):
    out = subprocess.run([attn, "eval-words", vectors, "--similarity", os.path.join(DATA, "wordsim_en", "EN-WS-353-ALL.txt"),
                          "--analogy", os.path.join(DATA, "word2vec_analogy_en", "questions-words.txt"), "--no-sections"],
                         capture_output=True, text=True, check=True).stdout
    rho = float(re.search(r"EN-WS-353-ALL.txt\s+\d+\s+\d+\s+(-?[\d.]+)", out).group(1))
    m = re.search(r"^total\s+(\d+)\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%", out, re.M)
    return {"rho": rho, "analogy_add": float(m.group(3)), "analogy_mul": float(m.group(4)), "seen": int(m.group(1))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "build", "embed-data", "gutenberg.txt"))
    ap.add_argument("--attn", default=os.path.join(ROOT, "build", "embed", "attn"))
    ap.add_argument("--models", default="skipgram,cbow")
    ap.add_argument("--tools", default="attn,fasttext,gensim")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--neg", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "embed-bench"))
    ap.add_argument("--summarize", help="only print the table of an earlier results.json")
    a = ap.parse_args()
    if a.summarize:
        summarize(json.load(open(a.summarize)), a.tools.split(","))
        return
    os.makedirs(a.out, exist_ok=True)
    words = sum(len(line.split()) for line in open(a.corpus, encoding="utf-8"))
    print(f"corpus {a.corpus}: {words} words; dim {a.dim} window {a.window} neg {a.neg} epochs {a.epochs} "
          f"min_count {a.min_count} sample {a.sample} threads {a.threads}", flush=True)
    results = []
    for model in a.models.split(","):
        alpha = 0.025 if model == "skipgram" else 0.05
        for seed in a.seeds.split(","):
            for tool in a.tools.split(","):
                prefix = os.path.join(a.out, f"{tool}_{model}_{seed}")
                if tool == "attn":
                    cmd = [a.attn, "word2vec", model, "-input", a.corpus, "-output", prefix, "-dim", str(a.dim),
                           "-window", str(a.window), "-neg", str(a.neg), "-epoch", str(a.epochs),
                           "-min-count", str(a.min_count), "-sample", str(a.sample), "-threads", str(a.threads),
                           "-seed", seed, "-alpha", str(alpha)]
                    vectors = prefix + ".bin"
                elif tool == "fasttext":
                    # -minn/-maxn 0: plain word2vec (no subwords); -bucket 0: no n-gram table to allocate.
                    cmd = ["fasttext", model, "-input", a.corpus, "-output", prefix, "-dim", str(a.dim), "-ws",
                           str(a.window), "-neg", str(a.neg), "-epoch", str(a.epochs), "-minCount", str(a.min_count),
                           "-t", str(a.sample), "-thread", str(a.threads), "-lr", str(alpha), "-minn", "0",
                           "-maxn", "0", "-bucket", "0", "-seed", seed, "-verbose", "0"]
                    vectors = prefix + ".vec"
                else:
                    cmd = [sys.executable, "-c", GENSIM, a.corpus, prefix + ".bin", str(int(model == "skipgram")),
                           str(a.dim), str(a.window), str(a.neg), str(a.epochs), str(a.min_count), str(a.sample),
                           str(a.threads), seed, str(alpha)]
                    vectors = prefix + ".bin"
                wall, cpu, rss, _ = run_timed(cmd)
                r = {"tool": tool, "model": model, "seed": int(seed), "wall_s": wall, "cpu_s": cpu, "rss_mb": rss,
                     "words_per_s": words * a.epochs / wall, "words_per_cpu_s": words * a.epochs / cpu}
                r.update(evaluate(a.attn, vectors))
                results.append(r)
                print(f"{tool:9s} {model:9s} seed {seed}: {wall:7.1f}s wall {cpu:7.1f}s cpu  "
                      f"{r['words_per_cpu_s'] / 1e3:8.1f}k words/cpu-s  {r['words_per_s'] / 1e3:8.1f}k words/s  "
                      f"{rss:7.0f} MB  analogy {r['analogy_add']:5.2f}% (cosmul {r['analogy_mul']:5.2f}%)  "
                      f"WS-353 rho {r['rho']:.4f}", flush=True)
                with open(os.path.join(a.out, "results.json"), "w") as f:
                    json.dump(results, f, indent=1)
    summarize(results, a.tools.split(","))


def summarize(results, tools):
    print("\n| model | tool | CPU s | words per CPU-second | wall s | peak RSS MB | analogy 3CosAdd % | analogy 3CosMul % "
          "| WS-353 ρ | attn speed-up (CPU) | attn speed-up (wall) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model in sorted({r["model"] for r in results}, reverse=True):
        rows = {t: [r for r in results if r["model"] == model and r["tool"] == t] for t in tools}
        base = rows.get("attn") or []
        attn_cpu = statistics.mean(r["cpu_s"] for r in base) if base else None
        attn_wall = statistics.mean(r["wall_s"] for r in base) if base else None

        def fmt(vals, digits):
            m = statistics.mean(vals)
            return f"{m:.{digits}f} ± {statistics.stdev(vals):.{digits}f}" if len(vals) > 1 else f"{m:.{digits}f}"

        for t in tools:
            rs = rows[t]
            if not rs:
                continue
            cpu = statistics.mean(r["cpu_s"] for r in rs)
            wall = statistics.mean(r["wall_s"] for r in rs)
            r_cpu = f"{cpu / attn_cpu:.2f}×" if attn_cpu and t != "attn" else "—"
            r_wall = f"{wall / attn_wall:.2f}×" if attn_wall and t != "attn" else "—"
            print(f"| {model} | {t} | {fmt([r['cpu_s'] for r in rs], 1)} | "
                  f"{statistics.mean(r['words_per_cpu_s'] for r in rs) / 1e3:.0f}k | {fmt([r['wall_s'] for r in rs], 1)} | "
                  f"{fmt([r['rss_mb'] for r in rs], 0)} | {fmt([r['analogy_add'] for r in rs], 2)} | "
                  f"{fmt([r['analogy_mul'] for r in rs], 2)} | {fmt([r['rho'] for r in rs], 3)} | {r_cpu} | {r_wall} |")
    print("\n(mean ± standard deviation over seeds; speed-up = peer time / attn time; CPU = user + system seconds)")


if __name__ == "__main__":
    main()
