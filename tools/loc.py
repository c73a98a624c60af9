#!/usr/bin/env python3
"""Line-count report per layer (tinygrad's sz.py idea): code lines (no blanks/comments) of src/, tests/, apps/.

    python3 tools/loc.py            # table per directory, largest files flagged against the 800-line budget
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTS = (".h", ".cpp", ".cu", ".py")


def code_lines(path):
    n = 0
    in_block = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if in_block:
                if "*/" in s:
                    in_block = False
                continue
            if not s or s.startswith("//") or s.startswith("#") and path.endswith(".py"):
                continue
            if s.startswith("/*"):
                in_block = "*/" not in s
                continue
            n += 1
    return n


def main():
    rows = []
    for top in ("src/attn", "apps", "tests", "bench", "tools", "fuzz", "examples"):
        base = os.path.join(ROOT, top)
        if not os.path.isdir(base):
            continue
        for dirpath, _, files in os.walk(base):
            if "/data" in dirpath.replace(ROOT, ""):
                continue
            for name in files:
                if name.endswith(EXTS):
                    p = os.path.join(dirpath, name)
                    rows.append((os.path.relpath(p, ROOT), code_lines(p), sum(1 for _ in open(p, errors="replace"))))
    by_dir = {}
    for rel, code, _ in rows:
        d = os.path.dirname(rel)
        by_dir[d] = by_dir.get(d, 0) + code
    print(f"{'directory':<40} {'code lines':>10}")
    for d in sorted(by_dir):
        print(f"{d:<40} {by_dir[d]:>10}")
    print(f"{'total':<40} {sum(by_dir.values()):>10}")
    big = [r for r in rows if r[2] > 800]
    if big:
        print("\nfiles over the 800-line budget (STYLE P15):")
        for rel, _, total in sorted(big, key=lambda r: -r[2]):
            print(f"  {rel}: {total} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
