"""Does a model saved by `attn finetune classify` load in HF transformers and give attn's logits?

Loads DIR with AutoModelForSequenceClassification + AutoTokenizer (eval mode, float32), runs every text that
`attn classify --json` classified (a TAB separates a sentence pair) through it, and prints the max-abs
difference of the logits and of the probabilities, and how many labels agree.

Run: build/release/attn classify --model DIR --json < texts.txt > /tmp/attn.json
     .venv/bin/python tools/check_finetune_hf.py --model DIR --attn-json /tmp/attn.json
"""
import argparse
import json

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--attn-json", required=True, help="output of attn classify --json")
    a = ap.parse_args()
    rows = json.load(open(a.attn_json, encoding="utf-8"))
    tok = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(a.model).eval()
    id2label = model.config.id2label
    max_p = max_l = 0.0
    agree = 0
    for r in rows:
        first, _, second = r["text"].partition("\t")
        enc = tok(first, second or None, truncation=True, max_length=512, return_tensors="pt")
        with torch.no_grad():
            logits = model(**enc).logits[0]
        probs = logits.softmax(-1)
        want = torch.tensor([r["probabilities"][id2label[k]] for k in range(len(id2label))])
        max_p = max(max_p, (probs - want).abs().max().item())
        if "logits" in r:
            max_l = max(max_l, (logits - torch.tensor(r["logits"])).abs().max().item())
        agree += id2label[int(probs.argmax())] == r["label"]
    print(f"{len(rows)} texts: HF transformers {__import__('transformers').__version__} loads {a.model} "
          f"({type(model).__name__}, labels {list(id2label.values())}); labels agree {agree}/{len(rows)}; "
          f"max-abs diff: probabilities {max_p:.3g}, logits {max_l:.3g}")


if __name__ == "__main__":
    main()
