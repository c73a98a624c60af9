"""LSTM forward + backward throughput: attn (bench_lstm.cpp) vs PyTorch CPU, side by side.

  build/<dir>/bench/bench_lstm --benchmark_out=/tmp/lstm.json --benchmark_out_format=json
  .venv/bin/python bench/lstm_vs_torch.py /tmp/lstm.json

The same shapes and work as bench_lstm.cpp: torch.nn.LSTM(H, H, L) on x (T, B, H) with requires_grad,
L = (out * g).sum(), L.backward(), zero_grad between iterations; torch.set_num_threads equal to attn's
thread count. Prints tokens/s (B·T per iteration; median of --repeats timed runs) from wall time and from
process CPU time / threads (the estimate for a machine to oneself), and attn/torch ratios (> 1: attn faster).
"""
import argparse

import torch

from peer_timing import benchmark_runs, timed


def time_torch(B, T, H, L, threads, repeats, min_time=1.0):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(H, H, L)
    x = torch.randn(T, B, H, requires_grad=True)
    g = torch.randn(T, B, H)

    def run():
        lstm.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = lstm(x)
        (out * g).sum().backward()

    return timed(run, B * T, threads, repeats, min_time)


def attn_rates(path):
    """{(B, T, H, L, threads): (wall tokens/s, CPU-time tokens/s)} from bench_lstm's JSON."""
    out = {}
    for _, p, real, cpu in benchmark_runs(path):
        B, T, H, L, t = (p[k] for k in ("B", "T", "H", "L", "t"))
        out[(B, T, H, L, t)] = (B * T / real, B * T / (cpu / t))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("attn_json")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    attn = attn_rates(args.attn_json)
    print(f"torch {torch.__version__}; LSTM forward+backward tokens/s (median of {args.repeats})")
    print("rates from wall time | from process CPU time / threads")
    print(f"{'B x T, H, L':>18} {'thr':>3} {'torch':>19} {'attn':>19} {'attn/torch':>13}")
    for (B, T, H, L, t), a in sorted(attn.items(), key=lambda kv: (kv[0][4], kv[0][2])):
        p = time_torch(B, T, H, L, t, args.repeats)
        print(f"{B:>4} x {T:<3} {H:>4} {L:>2}   {t:>3} {p[0]:8.0f} | {p[1]:8.0f} {a[0]:8.0f} | {a[1]:8.0f}"
              f" {a[0] / p[0]:5.2f} | {a[1] / p[1]:4.2f}")


if __name__ == "__main__":
    main()
