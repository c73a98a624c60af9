"""The reference for `attn finetune classify`: the same fine-tuning run with Hugging Face's Trainer.

Same data handling as attn (a TSV/CSV file with a header; labels are the sorted distinct strings of the label
column of the training file, mapped to ids 0..K-1; text, and optionally a text pair, truncated to --max-len
tokens with the model's tokenizer; each batch padded to its longest row), the same model head
(AutoModelForSequenceClassification = BertForSequenceClassification: pooler → dropout → Linear), and the
Trainer's own optimisation: torch.optim.AdamW (betas 0.9/0.999, eps 1e-8), weight decay only on weights that
are neither biases nor LayerNorm, linear warm-up (ceil(warmup_ratio · steps)) and decay, max_grad_norm 1.0,
the training set shuffled each epoch from --seed. Dev accuracy and loss after every epoch.

Run (1 thread, as attn's reference figure in docs/bert.md):
  .venv/bin/python tools/finetune_reference.py --model models/all-MiniLM-L6-v2 \
      --train ../shared/data/sst2/train.tsv --dev ../shared/data/sst2/test.tsv --out /tmp/hf-sst2 \
      --epochs 3 --batch-size 32 --max-len 64 --seed 42 --max-train-examples 10000
Needs accelerate (tools/requirements.txt) for transformers' Trainer.
"""
import argparse
import csv
import json
import math
import os
import sys
import time


def read_table(path, text_col, pair_col, label_col, limit=0):
    delim = "," if path.endswith(".csv") else "\t"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=delim, quoting=csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL))
    if not rows:
        sys.exit(f"{path}: empty file")
    header = rows[0]
    for c in [text_col, label_col] + ([pair_col] if pair_col else []):
        if c not in header:
            sys.exit(f"{path}: no column '{c}' in the header {header}")
    ti, li = header.index(text_col), header.index(label_col)
    pi = header.index(pair_col) if pair_col else None
    data = []
    for r in rows[1:]:
        if not r:
            continue
        data.append((r[ti], r[pi] if pi is not None else None, r[li]))
        if limit and len(data) == limit:
            break
    return data


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--text-column", default="sentence")
    ap.add_argument("--text-pair-column", default="")
    ap.add_argument("--label-column", default="label")
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--warmup-ratio", type=float, default=0.0)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-train-examples", type=int, default=0)
    a = ap.parse_args()

    import numpy as np
    import torch
    import transformers
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding,
                              Trainer, TrainingArguments, TrainerCallback)

    torch.set_num_threads(a.threads)
    transformers.set_seed(a.seed)
    train = read_table(a.train, a.text_column, a.text_pair_column, a.label_column, a.max_train_examples)
    dev = read_table(a.dev, a.text_column, a.text_pair_column, a.label_column)
    labels = sorted({l for _, _, l in train})
    label2id = {l: i for i, l in enumerate(labels)}
    for _, _, l in dev:
        if l not in label2id:
            sys.exit(f"{a.dev}: label '{l}' does not occur in {a.train}")

    tok = AutoTokenizer.from_pretrained(a.model)

    class Rows(torch.utils.data.Dataset):
        def __init__(self, rows):
            self.enc = []
            for t, p, l in rows:
                e = tok(t, p, truncation=True, max_length=a.max_len)
                e["labels"] = label2id[l]
                self.enc.append(e)

        def __len__(self):
            return len(self.enc)

        def __getitem__(self, i):
            return self.enc[i]

    train_ds, dev_ds = Rows(train), Rows(dev)
    model = AutoModelForSequenceClassification.from_pretrained(
        a.model, num_labels=len(labels), id2label={i: l for l, i in label2id.items()}, label2id=label2id)

    def accuracy(p):
        return {"accuracy": float((np.argmax(p.predictions, axis=-1) == p.label_ids).mean())}

    history = []

    class Log(TrainerCallback):
        def on_evaluate(self, args, state, control, metrics=None, **kw):
            line = (f"epoch {state.epoch:.0f}: dev accuracy {metrics['eval_accuracy'] * 100:.2f}% "
                    f"({len(dev)} examples), dev loss {metrics['eval_loss']:.4f}, "
                    f"step {state.global_step}, {time.time() - t0:.0f}s")
            print(line, flush=True)
            history.append({"epoch": state.epoch, "step": state.global_step, "accuracy": metrics["eval_accuracy"],
                            "loss": metrics["eval_loss"], "seconds": time.time() - t0})

    args = TrainingArguments(
        output_dir=os.path.join(a.out, "trainer"), num_train_epochs=a.epochs, learning_rate=a.lr,
        per_device_train_batch_size=a.batch_size, per_device_eval_batch_size=64, warmup_ratio=a.warmup_ratio,
        weight_decay=a.weight_decay, max_grad_norm=1.0, adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8,
        lr_scheduler_type="linear", optim="adamw_torch", seed=a.seed, eval_strategy="epoch",
        save_strategy="no", logging_steps=50, report_to=[], use_cpu=True, dataloader_num_workers=0,
        disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=dev_ds,
                      data_collator=DataCollatorWithPadding(tok), compute_metrics=accuracy, callbacks=[Log()])
    t0 = time.time()
    out = trainer.train()
    wall = time.time() - t0
    steps = out.global_step
    print(f"trained {len(train)} examples, {a.epochs:g} epochs, {steps} steps in {wall:.0f}s "
          f"({steps / wall:.2f} steps/s, {a.threads} thread(s))", flush=True)
    os.makedirs(a.out, exist_ok=True)
    result = {"transformers": transformers.__version__, "torch": torch.__version__, "args": vars(a),
              "train_examples": len(train), "dev_examples": len(dev), "steps": steps, "wall_seconds": wall,
              "epochs": history, "train_loss_log": [h for h in trainer.state.log_history if "loss" in h]}
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    trainer.save_model(os.path.join(a.out, "model"))


if __name__ == "__main__":
    main()
