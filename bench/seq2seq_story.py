"""BLEU overall and by source-sentence length for the models of bench/seq2seq_story.sh (Bahdanau et al. 2015,
Fig. 2, on our data): sacreBLEU 2.4.3 corpus BLEU, lowercased (the word-level vocabularies lowercase), of
OUT/<model>.hyp.txt against the test2016 references, overall and per bucket of German source length in
whitespace-separated words. Writes OUT/bleu_by_length.svg (one line per model), OUT/bleu_by_length.json, and
prints a Markdown table.

  .venv/bin/python bench/seq2seq_story.py --data ../shared/data/multi30k --out /tmp/seq2seq_story
"""
import argparse
import json
import os

import sacrebleu

# Near-equal shares of test2016 (source lengths 4–30 words; only 27 sentences have more than 20).
BUCKETS = [(1, 7), (8, 9), (10, 11), (12, 13), (14, 16), (17, 10**9)]
MODELS = [("none", "seq2seq, no attention", "#d62728"), ("bahdanau", "seq2seq + Bahdanau", "#1f77b4"),
          ("luong", "seq2seq + Luong", "#2ca02c"), ("transformer", "Transformer", "#9467bd")]


def label(lo, hi):
    return f"{lo}+" if hi >= 10**9 else f"{lo}-{hi}"


def bleu(hyps, refs):
    return sacrebleu.corpus_bleu(hyps, [refs], lowercase=True).score if hyps else float("nan")


def svg_chart(results, counts, path, title):
    W, H, left, right, top, bottom = 720, 400, 60, 250, 40, 60
    pw, ph = W - left - right, H - top - bottom
    ymax = max(5.0, max(v for r in results.values() for v in r["buckets"] if v == v) * 1.1)
    n = len(BUCKETS)
    x = lambda i: left + pw * (i + 0.5) / n
    y = lambda v: top + ph * (1 - v / ymax)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="14">{title}</text>',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="black"/>']
    step = next(st for lim, st in ((10, 1), (20, 2), (50, 5), (1e9, 10)) if ymax <= lim)
    for v in range(0, int(ymax) + 1, step):
        out.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + pw}" y2="{y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for i, (lo, hi) in enumerate(BUCKETS):
        out.append(f'<text x="{x(i):.1f}" y="{top + ph + 18}" text-anchor="middle">{label(lo, hi)}</text>')
        out.append(f'<text x="{x(i):.1f}" y="{top + ph + 32}" text-anchor="middle" fill="#666">n={counts[i]}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{H - 8}" text-anchor="middle">source length (German words)</text>')
    out.append(f'<text x="16" y="{top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 {top + ph / 2})">'
               'BLEU (sacreBLEU, lowercased)</text>')
    for k, (key, name, colour) in enumerate(m for m in MODELS if m[0] in results):
        pts = [(x(i), y(v)) for i, v in enumerate(results[key]["buckets"]) if v == v]
        out.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            colour, " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)))
        out += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in pts]
        ly = top + 10 + 20 * k
        out.append(f'<line x1="{left + pw + 15}" y1="{ly}" x2="{left + pw + 35}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 40}" y="{ly + 4}">{name} ({results[key]["bleu"]:.1f})</text>')
    out.append("</svg>")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--title", default="Multi30k test2016 de→en: BLEU by source-sentence length")
    args = ap.parse_args()
    src = open(os.path.join(args.data, "test_2016_flickr.de"), encoding="utf-8").read().splitlines()
    refs = open(os.path.join(args.data, "test_2016_flickr.en"), encoding="utf-8").read().splitlines()
    bucket_of = [next(i for i, (lo, hi) in enumerate(BUCKETS) if lo <= len(s.split()) <= hi) for s in src]
    counts = [bucket_of.count(i) for i in range(len(BUCKETS))]
    results = {}
    for key, name, _ in MODELS:
        path = os.path.join(args.out, key + ".hyp.txt")
        if not os.path.exists(path):
            continue
        hyps = open(path, encoding="utf-8").read().splitlines()
        if len(hyps) != len(refs):
            raise SystemExit(f"{path}: {len(hyps)} lines, expected {len(refs)}")
        per = []
        for i in range(len(BUCKETS)):
            idx = [j for j, b in enumerate(bucket_of) if b == i]
            per.append(bleu([hyps[j] for j in idx], [refs[j] for j in idx]))
        results[key] = {"name": name, "bleu": bleu(hyps, refs), "buckets": per}
    if not results:
        raise SystemExit(f"no <model>.hyp.txt in {args.out}")
    with open(os.path.join(args.out, "bleu_by_length.json"), "w") as f:
        json.dump({"sacrebleu": sacrebleu.__version__, "lowercase": True,
                   "buckets": [label(*b) for b in BUCKETS], "counts": counts, "models": results}, f, indent=1)
    svg_chart(results, counts, os.path.join(args.out, "bleu_by_length.svg"), args.title)
    print(f"sacreBLEU {sacrebleu.__version__}, lowercased, test2016 ({len(refs)} sentences)")
    print("| model | BLEU | " + " | ".join(f"{label(*b)} (n={c})" for b, c in zip(BUCKETS, counts)) + " |")
    print("|---|---|" + "---|" * len(BUCKETS))
    for key, r in results.items():
        print(f"| {r['name']} | {r['bleu']:.2f} | " + " | ".join(f"{v:.2f}" for v in r["buckets"]) + " |")
    print(f"wrote {args.out}/bleu_by_length.svg, {args.out}/bleu_by_length.json")


if __name__ == "__main__":
    main()
