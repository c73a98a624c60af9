#!/usr/bin/env python3
"""tools/check_text_cli.py — a larger parity check than the committed fixture: `attn tokenize --json` against
HF tokenizers (all-MiniLM-L6-v2, truncation and padding off) on whole data sets from ../shared/data.
Run from the repository root after building the CLI:  .venv/bin/python tools/check_text_cli.py [path/to/attn]
"""
import json, subprocess, sys
from tokenizers import Tokenizer
files = ["/work/shared/data/korean_hate_speech/unlabeled/unlabeled_comments_5.txt", "/work/shared/data/sst2/train.tsv",
         "/work/shared/data/multi30k/train.de", "/work/shared/data/cisi/CISI.ALL"]
lines = []
for f in files:
    lines += [l.rstrip("\r") for l in open(f, encoding="utf-8-sig").read().split("\n") if l.strip()]
tok = Tokenizer.from_file("models/all-MiniLM-L6-v2/tokenizer.json"); tok.no_truncation(); tok.no_padding()
hf = tok.encode_batch(lines)
out = subprocess.run([sys.argv[1] if len(sys.argv) > 1 else "build/release/attn", "tokenize", "-t", "models/all-MiniLM-L6-v2/tokenizer.json", "--json", "--pad", "none",
                      "--max-length", "0"], input="\n".join(lines) + "\n", capture_output=True, text=True).stdout.split("\n")
bad = 0
for i, (e, o) in enumerate(zip(hf, out)):
    j = json.loads(o)
    if e.ids != j["ids"] or [list(x) for x in e.offsets] != j["offsets"]:
        bad += 1
        if bad < 3: print("mismatch", i, repr(lines[i][:80]))
print(len(lines), "texts", sum(len(e.ids) for e in hf), "tokens", bad, "mismatches")
