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
    walls, cpus = [], []
    for _ in range(repeats):
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            run()
            n += 1
            if time.perf_counter() - t0 >= min_time:
                break
        walls.append(B * n / (time.perf_counter() - t0))
        cpus.append(B * n / ((time.process_time() - c0) / threads))
    return statistics.median(walls), statistics.median(cpus)


def attn_rates(path):
    """{(path, B, T, threads): (wall sentences/s, CPU-time sentences/s)} from bench_bert's JSON."""
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name, B, T, t = b["run_name"].split("/")[:4]
        key = (name.replace("BM_", ""), int(B[2:]), int(T[2:]), int(t[2:]))
        B_, threads, s = int(B[2:]), int(t[2:]), unit[b["time_unit"]]
        out[key] = (B_ / (b["real_time"] * s), B_ / (b["cpu_time"] * s / threads))
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
    print("rates from wall time | from process CPU time / threads (the estimate for a machine to oneself)")
    print(f"{'B x T':>9} {'thr':>3} {'HF torch':>17} {'attn forward':>17} {'attn encode':>17} {'fwd/torch':>11} {'enc/torch':>11}")
    pair = lambda v: f"{v[0]:7.1f} | {v[1]:7.1f}" if v else f"{'-':>17}"
    ratio = lambda v, h: f"{v[0] / h[0]:4.2f} | {v[1] / h[1]:4.2f}" if v else f"{'-':>11}"
    for threads in (1, 2):
        for B, T in SHAPES:
            fwd, enc = attn.get(("forward", B, T, threads)), attn.get(("encode", B, T, threads))
            if not fwd and not enc:
                continue
            hf = time_hf(model, B, T, threads, args.repeats)
            print(f"{B:>4} x {T:<3} {threads:>3} {pair(hf)} {pair(fwd)} {pair(enc)} {ratio(fwd, hf):>11} {ratio(enc, hf):>11}")

if __name__ == "__main__":
    main()
