"""Deterministic train/test split of the staged Tatoeba Korean–English pairs (../shared/data/tatoeba_kor_eng).

  .venv/bin/python tools/data/tatoeba_split.py ../shared/data/tatoeba_kor_eng/kor.txt OUT_DIR

kor.txt is `English<TAB>Korean<TAB>attribution`, sorted by length. Every 11th line (lines 11, 22, …) up to 500
pairs is the test split, so it covers short and long sentences alike; every other pair is training data,
except pairs whose English or Korean side also occurs in the test split (the file repeats English sentences
with alternative translations, and a test sentence seen in training would flatter the score). Writes
OUT_DIR/{train,test}.{ko,en} and prints the counts.
"""
import os
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    pairs = []
    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                sys.exit(f"{src}:{n}: expected English<TAB>Korean<TAB>attribution, got {line!r}")
            pairs.append((cols[0].strip(), cols[1].strip()))
    test_idx = [i for i in range(10, len(pairs), 11)][:500]
    test = [pairs[i] for i in test_idx]
    seen_en, seen_ko = {e for e, _ in test}, {k for _, k in test}
    chosen = set(test_idx)
    train = [p for i, p in enumerate(pairs) if i not in chosen and p[0] not in seen_en and p[1] not in seen_ko]
    os.makedirs(out, exist_ok=True)
    for name, rows in (("train", train), ("test", test)):
        for lang, col in (("en", 0), ("ko", 1)):
            with open(os.path.join(out, f"{name}.{lang}"), "w", encoding="utf-8") as f:
                f.writelines(r[col] + "\n" for r in rows)
    print(f"{len(pairs)} pairs: {len(train)} train, {len(test)} test, "
          f"{len(pairs) - len(train) - len(test)} dropped (a side also in the test split)")


if __name__ == "__main__":
    main()
