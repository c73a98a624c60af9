"""all-MiniLM-L6-v2 embedding throughput: attn vs HF transformers (PyTorch), side by side.

  build/<dir>/bench/bench_bert --benchmark_out=/tmp/bert.json --benchmark_out_format=json
  HF_HUB_OFFLINE=1 .venv/bin/python bench/bert_vs_torch.py /tmp/bert.json

Shapes as bench_bert.cpp: batch × tokens = 1 × 16, 32 × 128, 64 × 256, with 1 and 2 threads
(torch.set_num_threads equal to attn's). HF runs BertModel (eager attention, eval, no_grad) on a (B, T)
batch of random ids plus mean pooling and normalisation, the sentence-transformers recipe; the medians of
`--repeats` timed runs are compared with attn's forward (stacked batch) and encode (each text alone, texts
spread over the threads) paths. Prints sentences/s and attn/torch ratios (> 1: attn faster).
"""
import argparse
import json
import os
import pathlib
import statistics
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHAPES = [(1, 16), (32, 128), (64, 256)]


def time_hf(model, B, T, threads, repeats, min_time=0.5):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(1000, 30000, (B, T), generator=g)
    mask = torch.ones(B, T, dtype=torch.long)

    def run():
        with torch.no_grad():
            h = model(input_ids=ids, attention_mask=mask).last_hidden_state
            e = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return torch.nn.functional.normalize(e, dim=1)

    run()  # warm-up
    rates = []
    for _ in range(repeats):
        n, t0 = 0, time.perf_counter()
        while True:
            run()
            n += 1
            if time.perf_counter() - t0 >= min_time:
                break
        rates.append(B * n / (time.perf_counter() - t0))
    return statistics.median(rates)


def attn_rates(path):
    """{(path, B, T, threads): sentences/s} from bench_bert's JSON (medians if repeated)."""
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name, B, T, t = b["run_name"].split("/")[:4]
        key = (name.replace("BM_", ""), int(B[2:]), int(T[2:]), int(t[2:]))
        out[key] = b["sentences/s"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("attn_json")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers
    from transformers import BertModel

    model = BertModel.from_pretrained(str(ROOT / "models" / "all-MiniLM-L6-v2"), attn_implementation="eager").eval()
    attn = attn_rates(args.attn_json)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}; sentences/s (median of {args.repeats})")
    print(f"{'B x T':>9} {'thr':>3} {'HF torch':>10} {'attn fwd':>10} {'attn enc':>10} {'fwd/torch':>9} {'enc/torch':>9}")
    for threads in (1, 2):
        for B, T in SHAPES:
            if ("forward", B, T, threads) not in attn and ("encode", B, T, threads) not in attn:
                continue
            hf = time_hf(model, B, T, threads, args.repeats)
            fwd, enc = attn.get(("forward", B, T, threads)), attn.get(("encode", B, T, threads))
            cell = lambda v: f"{v:10.1f}" if v else f"{'-':>10}"
            ratio = lambda v: f"{v / hf:9.2f}" if v else f"{'-':>9}"
            print(f"{B:>4} x {T:<3} {threads:>3} {hf:10.1f} {cell(fwd)} {cell(enc)} {ratio(fwd)} {ratio(enc)}")


if __name__ == "__main__":
    main()
