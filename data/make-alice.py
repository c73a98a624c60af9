"""Builds data/alice.txt, the default document set of `attn search`: Alice's Adventures in Wonderland
(Lewis Carroll, Project Gutenberg #11, public domain), chapters I–VII, one paragraph per line with its
chapter in front ("[VI. Pig and Pepper] …"); paragraphs under 8 words (short exclamations) are left out.

Source: ../shared/data/gutenberg_en/11-0.txt (sha256 2bb7d563…, see ../shared/data/MANIFEST.tsv).
Run: .venv/bin/python data/make-alice.py
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data" / "gutenberg_en" / "11-0.txt"
OUT = ROOT / "data" / "alice.txt"
LAST_CHAPTER = "VIII"  # stop before it

text = SRC.read_text(encoding="utf-8-sig")
body = text.split("*** START OF THIS PROJECT GUTENBERG EBOOK")[1].split("*** END OF THIS PROJECT")[0]
lines, chapter = [], None
for para in re.split(r"\n\s*\n", body):
    para = " ".join(para.split())
    m = re.match(r"CHAPTER ([IVX]+)\. (.*)", para)
    if m:
        if m.group(1) == LAST_CHAPTER:
            break
        chapter = f"{m.group(1)}. {m.group(2)}"
        continue
    if chapter is None or len(para.split()) < 8:
        continue
    lines.append(f"[{chapter}] {para}")
OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"{OUT}: {len(lines)} paragraphs")
