"""attn vs PyTorch on the memory-bound ops of bench/bench_pointwise.cpp, same shapes, same thread counts.

Runs the attn benchmark binary (Google Benchmark, --benchmark_format=json) and the same ops in PyTorch
(torch.set_num_threads = attn's thread count), alternating the two `--rounds` times so that both see the
same machine load, and prints per case two estimates of each library's time and their ratio attn/PyTorch
(< 1: attn is faster):
  min wall  the fastest round (wall clock): on a shared, loaded machine the least disturbed measurement;
  cpu       the median CPU time of the calling thread — with 1 thread that is all the work, and it is not
            inflated by waiting for a core (reported for 1 thread only; with 2, the second thread's work is
            not in it). Forward ops allocate their output in both libraries; the backward rows time attn's backward
kernel (into a preallocated gradient) against PyTorch's native backward op (torch._softmax_backward_data,
aten.native_layer_norm_backward, aten.gelu_backward).

  OMP_WAIT_POLICY=passive .venv/bin/python bench/pointwise_vs_torch.py \
      --bench build/pointwise/bench/bench_pointwise --rounds 7

On a shared machine set OMP_WAIT_POLICY=passive (libgomp reads it at start-up, for both libraries): with the
default active wait, idle OpenMP workers spin and steal the time slices their partner thread needs.
"""
import argparse
import json
import re
import statistics
import subprocess
import time

import torch
import torch.nn.functional as F


def torch_case(op, R, C):
    """A zero-argument callable running `op` on (R, C) inputs, as the attn benchmark of that name does."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(R, C, generator=g)
    if op == "softmax":
        return lambda: torch.softmax(x, -1)
    if op == "log_softmax":
        return lambda: torch.log_softmax(x, -1)
    if op == "layer_norm":
        w, b = torch.ones(C), torch.zeros(C)
        return lambda: F.layer_norm(x, (C,), w, b, 1e-12)
    if op == "gelu":
        return lambda: F.gelu(x)
    if op == "gelu_tanh":
        return lambda: F.gelu(x, approximate="tanh")
    dy = torch.full((R, C), 0.5)
    if op == "softmax_backward":
        y = torch.full((R, C), 0.25)
        return lambda: torch._softmax_backward_data(dy, y, -1, torch.float32)
    if op == "layer_norm_backward":
        w, b = torch.ones(C), torch.zeros(C)
        mean, rstd = torch.full((R, 1), 0.1), torch.ones(R, 1)
        xs = torch.full((R, C), 0.25)
        return lambda: torch.ops.aten.native_layer_norm_backward(dy, xs, [C], mean, rstd, w, b, [True, True, True])
    if op == "gelu_backward":
        xs = torch.full((R, C), 0.25)
        return lambda: torch.ops.aten.gelu_backward(dy, xs)
    raise ValueError(op)


def time_torch(fn, min_time):
    """(wall, thread cpu) seconds per call: warm up, then as many calls as fit in min_time."""
    for _ in range(3):
        fn()
    n, t0, c0 = 0, time.perf_counter(), time.thread_time()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_time:
            return elapsed / n, (time.thread_time() - c0) / n


def run_attn(binary, bench_filter, min_time):
    """{(op, R, C, threads): (wall, cpu) seconds per call} from one run of the attn benchmark binary."""
    out = subprocess.run([binary, f"--benchmark_filter={bench_filter}", f"--benchmark_min_time={min_time}",
                          "--benchmark_format=json"], capture_output=True, text=True, check=True)
    times = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        m = re.match(r"BM_(\w+)/R:(\d+)/C:(\d+)/threads:(\d+)", b["name"])
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        times[(m[1], int(m[2]), int(m[3]), int(m[4]))] = (b["real_time"] * scale, b["cpu_time"] * scale)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default="build/pointwise/bench/bench_pointwise")
    ap.add_argument("--filter", default=".", help="regex over attn benchmark names (Google Benchmark syntax)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds per measurement")
    a = ap.parse_args()

    attn_t, torch_t = {}, {}
    for _ in range(a.rounds):
        for key, t in run_attn(a.bench, a.filter, a.min_time).items():
            attn_t.setdefault(key, []).append(t)
        for key in sorted(attn_t):
            op, R, C, threads = key
            torch.set_num_threads(threads)
            torch_t.setdefault(key, []).append(time_torch(torch_case(op, R, C), a.min_time))

    print(f"torch {torch.__version__}, {a.rounds} rounds; ratio = attn time / PyTorch time (< 1: attn faster)")
    print(f"{'op':<20} {'shape':>10} {'thr':>3} | {'min wall us: attn':>17} {'torch':>8} {'ratio':>6} |"
          f" {'cpu us: attn':>12} {'torch':>8} {'ratio':>6} | {'attn GB/s wall':>14} {'cpu':>5}")
    for key in sorted(attn_t, key=lambda k: (k[0], k[3], k[1] * k[2])):
        op, R, C, threads = key
        wa, wt = min(t[0] for t in attn_t[key]), min(t[0] for t in torch_t[key])
        ca, ct = statistics.median(t[1] for t in attn_t[key]), statistics.median(t[1] for t in torch_t[key])
        passes = 4 if op.endswith("_backward") else 2
        nbytes = passes * R * C * 4
        if threads == 1:
            cpu, gbs_cpu = f"{ca * 1e6:>12.1f} {ct * 1e6:>8.1f} {ca / ct:>6.2f}", f"{nbytes / ca / 1e9:>5.1f}"
        else:
            cpu, gbs_cpu = f"{'':>12} {'':>8} {'':>6}", f"{'':>5}"
        print(f"{op:<20} {f'{R}x{C}':>10} {threads:>3} | {wa * 1e6:>17.1f} {wt * 1e6:>8.1f} {wa / wt:>6.2f} |"
              f" {cpu} | {nbytes / wa / 1e9:>14.1f} {gbs_cpu}")


if __name__ == "__main__":
    main()
