"""torch.matmul on the shapes of bench/bench_sgemm.cpp, side by side with attn::matmul: GFLOP/s and ratios.

  build/<dir>/bench/bench_sgemm --benchmark_filter='^matmul/' --benchmark_repetitions=5 \
      --benchmark_out=/tmp/sgemm.json --benchmark_out_format=json
  .venv/bin/python bench/sgemm_vs_torch.py /tmp/sgemm.json

For each shape and thread count (torch.set_num_threads(t), equal to the t of attn's run) it times
torch.matmul(a, b) on float32 (a fresh output each call, as attn::matmul), takes the median of `--repeats`
runs, and prints attn/torch ratios from wall-clock time and from process CPU time (flop / (CPU s / threads):
the estimate that discounts time-slices taken by other processes on a shared machine; see bench_sgemm.cpp).
"""
import argparse
import json
import os
import statistics
import time

import torch

SHAPES = {  # name: (M, N, K) for (M, K)·(K, N), as kShapes in bench_sgemm.cpp
    "square256": (256, 256, 256), "square512": (512, 512, 512), "square1024": (1024, 1024, 1024),
    "square2048": (2048, 2048, 2048), "bert_4096x384x1536": (4096, 1536, 384),
    "bert_4096x1536x384": (4096, 384, 1536), "bert_4096x384x384": (4096, 384, 384),
}


def time_torch(m, n, k, threads, repeats, min_time=0.3):
    """Median seconds per call (wall, CPU/threads) of torch.matmul over `repeats` batches of >= min_time."""
    torch.set_num_threads(threads)
    a, b = torch.randn(m, k), torch.randn(k, n)
    torch.matmul(a, b)  # warm-up
    walls, cpus = [], []
    for _ in range(repeats):
        calls, w0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            torch.matmul(a, b)
            calls += 1
            if time.perf_counter() - w0 >= min_time:
                break
        walls.append((time.perf_counter() - w0) / calls)
        cpus.append((time.process_time() - c0) / calls / threads)
    return statistics.median(walls), statistics.median(cpus)


def attn_results(path):
    """{(shape, threads): (wall s, cpu s / threads)} from bench_sgemm's JSON (medians if repeated)."""
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if not b["name"].startswith("matmul/"):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        _, shape, t = b["run_name"].split("/")[:3]
        threads = int(t[1:])
        s = unit[b["time_unit"]]
        out[(shape, threads)] = (b["real_time"] * s, b["cpu_time"] * s / threads)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("attn_json")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    attn = attn_results(args.attn_json)
    print(f"torch {torch.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'shape':<22} {'thr':>3} | {'attn GF/s':>9} {'torch GF/s':>10} {'ratio':>6} | "
          f"{'attn cpu-t':>10} {'torch cpu-t':>11} {'ratio':>6}")
    for (shape, threads), (aw, ac) in sorted(attn.items(), key=lambda kv: (list(SHAPES).index(kv[0][0]), kv[0][1])):
        m, n, k = SHAPES[shape]
        tw, tc = time_torch(m, n, k, threads, args.repeats)
        flop = 2.0 * m * n * k
        print(f"{shape:<22} {threads:>3} | {flop / aw / 1e9:9.1f} {flop / tw / 1e9:10.1f} {tw / aw:6.2f} | "
              f"{flop / ac / 1e9:10.1f} {flop / tc / 1e9:11.1f} {tc / ac:6.2f}")


if __name__ == "__main__":
    main()
