"""Checks that a BERT directory written by attn (attn pretrain bert → OUT/model) loads in HF transformers and
that `attn fill-mask` gives HF's fill-mask pipeline numbers on it.

  .venv/bin/python tools/check_bert_mlm_hf.py --model runs/bert/model --attn build/release/attn \
      "the cat sat on the [MASK] ." "it was a dark and stormy [MASK] ."

1. BertForPreTraining / BertForMaskedLM.from_pretrained(DIR, output_loading_info=True): no missing or
   unexpected keys (the tied decoder is re-tied by HF), and AutoTokenizer.from_pretrained(DIR) works.
2. For every text: HF's pipeline("fill-mask", top_k=K) vs `attn fill-mask --model DIR --top-k K`: the same tokens
   in the same order, probabilities within 1e-5. Prints both side by side; exits 1 on any difference.
"""
import argparse
import re
import subprocess
import sys


def attn_fill(attn, model, texts, k):
    out = subprocess.run([attn, "fill-mask", "--model", model, "--top-k", str(k), *texts], check=True,
                         capture_output=True, text=True, env={"ATTN_NUM_THREADS": "1"}).stdout
    results, cur = [], None
    for line in out.splitlines():
        m = re.match(r"^\s+(?:\[MASK (\d+)\] )?(\d+)\s+(\S+)\s+([0-9.]+)$", line)
        if not m:
            continue  # the text line
        if m.group(2) == "1":
            cur = []
            results.append(cur)
        cur.append((m.group(3), float(m.group(4))))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--attn", required=True)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("texts", nargs="+")
    a = ap.parse_args()
    from transformers import AutoTokenizer, BertForMaskedLM, BertForPreTraining, pipeline
    import transformers
    ok = True
    for cls in (BertForPreTraining, BertForMaskedLM):
        _, info = cls.from_pretrained(a.model, output_loading_info=True)
        bad = {k: v for k, v in info.items() if v and not (cls is BertForMaskedLM and k == "unexpected_keys")}
        unexpected = info["unexpected_keys"]
        print(f"{cls.__name__}.from_pretrained: missing {info['missing_keys']}, unexpected {unexpected}")
        if cls is BertForMaskedLM:  # the pooler and NSP head of a pretraining checkpoint are unused, as HF warns
            bad_unexpected = [k for k in unexpected if not (k.startswith("bert.pooler") or "seq_relationship" in k)]
            if bad_unexpected:
                bad["unexpected_keys"] = bad_unexpected
        if bad:
            ok = False
    tok = AutoTokenizer.from_pretrained(a.model)
    model = BertForMaskedLM.from_pretrained(a.model, attn_implementation="eager").eval()
    fill = pipeline("fill-mask", model=model, tokenizer=tok, top_k=a.top_k)
    hf = []
    for text in a.texts:
        r = fill(text)
        r = [r] if isinstance(r[0], dict) else r
        hf += [[(tok.convert_ids_to_tokens(x["token"]), x["score"]) for x in m] for m in r]
    ours = attn_fill(a.attn, a.model, a.texts, a.top_k)
    print(f"transformers {transformers.__version__}; {len(hf)} [MASK] positions")
    worst = 0.0
    for i, (h, o) in enumerate(zip(hf, ours)):
        for (ht, hp), (ot, op) in zip(h, o):
            worst = max(worst, abs(hp - op))
            flag = "" if ht == ot and abs(hp - op) <= 1e-5 else "   <-- differs"
            print(f"  mask {i + 1}: HF {ht:>14} {hp:.6f} | attn {ot:>14} {op:.6f}{flag}")
            ok = ok and not flag
    ok = ok and len(hf) == len(ours)
    print(f"max |p_attn - p_hf| = {worst:.2e} -> {'OK' if ok else 'MISMATCH'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
