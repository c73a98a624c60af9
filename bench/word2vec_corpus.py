#!/usr/bin/env python3
"""Builds the benchmark corpus for bench/word2vec_bench.py from ../shared/data/gutenberg_en.

Every tool (attn, fastText, gensim) reads the same file, so they see identical tokens:
  * the Project Gutenberg header and footer are cut at the "*** START OF" / "*** END OF" markers;
  * text is lower-cased, curly quotes folded to ASCII, and split into runs of [a-z0-9'] (other characters
    separate tokens; leading/trailing apostrophes are stripped);
  * each paragraph (blank-line separated; the books are hard-wrapped at ~70 columns) becomes one line, which
    all three tools treat as one sentence.

usage: bench/word2vec_corpus.py [DATA_DIR] [OUT]   (defaults: ../shared/data/gutenberg_en, build/embed-data/gutenberg.txt)
       bench/word2vec_corpus.py --korean [OUT]     (default build/embed-data/korean.txt)

--korean concatenates the staged raw Korean text, one comment/sentence/paragraph per line, untouched (whitespace
tokens = eojeol): korean_hate_speech unlabeled comments, the Korean sides of korean_parallel_corpora, the NSMC
raw reviews and the KorQuAD dev paragraphs.
"""
import glob
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared", "data")
if len(sys.argv) > 1 and sys.argv[1] == "--korean":
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "build", "embed-data", "korean.txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    lines = []
    for p in [f"{shared}/korean_hate_speech/unlabeled/unlabeled_comments_5.txt"] + sorted(
            glob.glob(f"{shared}/korean_parallel_corpora/*/*.ko")):
        lines += open(p, encoding="utf-8").read().splitlines()
    for p in sorted(glob.glob(f"{shared}/nsmc_raw_subset/raw/*.json")):
        lines += [r.get("review", "").replace("\n", " ") for r in json.load(open(p, encoding="utf-8"))]
    for a in json.load(open(f"{shared}/korquad_v1/KorQuAD_v1.0_dev.json", encoding="utf-8"))["data"]:
        lines += [p["context"].replace("\n", " ") for p in a["paragraphs"]]
    lines = [l.strip() for l in lines if l.strip()]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} lines, {sum(len(l.split()) for l in lines)} words")
    sys.exit(0)
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "data", "gutenberg_en")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "build", "embed-data", "gutenberg.txt")
os.makedirs(os.path.dirname(out), exist_ok=True)

token = re.compile(r"[a-z0-9']+")
fold = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " ", "\u2013": " "})


def body(text):
    start = re.search(r"\*\*\* ?START OF.*?\n", text)
    end = re.search(r"\*\*\* ?END OF", text)
    return text[start.end() if start else 0 : end.start() if end else len(text)]


words = lines = 0
with open(out, "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(data)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(data, name), encoding="utf-8-sig", errors="replace") as g:
            text = body(g.read().replace("\r\n", "\n")).lower().translate(fold)
        for para in re.split(r"\n\s*\n", text):
            toks = [t.strip("'") for t in token.findall(para)]
            toks = [t for t in toks if t]
            if toks:
                f.write(" ".join(toks) + "\n")
                words += len(toks)
                lines += 1
print(f"{out}: {lines} lines, {words} words")
