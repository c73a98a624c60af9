#!/usr/bin/env python3
"""Builds the benchmark corpus for bench/word2vec_bench.py from ../shared/data/gutenberg_en.

Every tool (attn, fastText, gensim) reads the same file, so they see identical tokens:
  * the Project Gutenberg header and footer are cut at the "*** START OF" / "*** END OF" markers;
  * text is lower-cased, curly quotes folded to ASCII, and split into runs of [a-z0-9'] (other characters
    separate tokens; leading/trailing apostrophes are stripped);
  * each paragraph (blank-line separated; the books are hard-wrapped at ~70 columns) becomes one line, which
    all three tools treat as one sentence.

usage: bench/word2vec_corpus.py [DATA_DIR] [OUT]   (defaults: ../shared/data/gutenberg_en, build/embed-data/gutenberg.txt)
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
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
