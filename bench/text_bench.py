#!/usr/bin/env python3
"""bench/text_bench.py — attn vs HF tokenizers, side by side, on the same ≥ 20 MB real-text corpus.

Builds the corpus (Project Gutenberg books from ../shared/data/gutenberg_en, boiler-plate cut, one
paragraph line per text) if missing, runs HF `Tokenizer.encode_batch` with RAYON_NUM_THREADS=1 and =N
(truncation and padding off, best of `--repeats`), runs build/…/bench/bench_text on the same file, checks
that both produce the same number of tokens, and prints tokens/s and the ratio.

  .venv/bin/python bench/text_bench.py --attn build/release/bench/bench_text --threads 2
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_corpus(path, min_bytes):
    lines, size = [], 0
    for book in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "data", "gutenberg_en", "*.txt"))):
        text = open(book, encoding="utf-8-sig", errors="replace").read()
        m = re.search(r"\*\*\* ?START OF.*?\n(.*)\*\*\* ?END OF", text, re.S)
        for line in (m.group(1) if m else text).split("\n"):
            line = line.rstrip("\r")
            if line.strip():
                lines.append(line)
                size += len(line.encode()) + 1
        if size >= min_bytes:
            break
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


HF_CHILD = r"""
import sys, time
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1]); tok.no_truncation(); tok.no_padding()
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
best = 1e30
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); enc = tok.encode_batch(lines); best = min(best, time.perf_counter() - t0)
print(sum(len(e.ids) for e in enc), best)
"""


def run_hf(tokenizer, corpus, threads, repeats):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads), TOKENIZERS_PARALLELISM="true")
    out = subprocess.run([sys.executable, "-c", HF_CHILD, tokenizer, corpus, str(repeats)], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1])


def run_attn(binary, tokenizer, corpus, threads, repeats):
    out = subprocess.run([binary, tokenizer, corpus, str(threads), str(repeats)], capture_output=True, text=True,
                         check=True).stdout
    res = {}
    for line in out.strip().split("\n"):
        kv = dict(x.split("=") for x in line.split()[1:])
        res[int(kv["threads"])] = (int(kv["tokens"]), float(kv["seconds"]))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attn", default=os.path.join(ROOT, "build", "release", "bench", "bench_text"))
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "build", "bench-text-corpus.txt"))
    ap.add_argument("--min-mb", type=float, default=20)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(a.corpus):
        build_corpus(a.corpus, a.min_mb * 1e6)
    mb = os.path.getsize(a.corpus) / 1e6
    lines = sum(1 for _ in open(a.corpus, encoding="utf-8"))
    print(f"corpus: {a.corpus} ({mb:.1f} MB, {lines} lines); tokenizer: {os.path.relpath(a.tokenizer, ROOT)}")
    ours = run_attn(a.attn, a.tokenizer, a.corpus, a.threads, a.repeats)
    for t in sorted({1, a.threads}):
        hf_tokens, hf_s = run_hf(a.tokenizer, a.corpus, t, a.repeats)
        at_tokens, at_s = ours[t]
        same = "same tokens" if hf_tokens == at_tokens else f"TOKEN COUNTS DIFFER ({hf_tokens} vs {at_tokens})"
        print(f"threads={t}: HF tokenizers {hf_tokens / hf_s / 1e6:6.2f} M tokens/s ({hf_s:.2f} s)   "
              f"attn {at_tokens / at_s / 1e6:6.2f} M tokens/s ({at_s:.2f} s)   ratio attn/HF = {hf_s / at_s:.2f}x   "
              f"[{same}]")


if __name__ == "__main__":
    main()
