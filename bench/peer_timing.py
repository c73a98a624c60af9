"""Timing of the Python peers in bench/*_vs_torch.py, one way for all of them.

timed(run, items, threads, repeats, min_time) calls run() once to warm up, then `repeats` times runs it in
a loop for at least `min_time` seconds and returns the medians of (items per wall second, items per CPU
second ÷ threads) — the second is the estimate for a machine to oneself when others share it.
"""
import statistics
import time


def timed(run, items, threads, repeats, min_time):
    run()  # warm-up
    walls, cpus = [], []
    for _ in range(repeats):
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            run()
            n += 1
            if time.perf_counter() - t0 >= min_time:
                break
        walls.append(items * n / (time.perf_counter() - t0))
        cpus.append(items * n / ((time.process_time() - c0) / threads))
    return statistics.median(walls), statistics.median(cpus)


def benchmark_runs(path):
    """Google Benchmark JSON → [(name, {"B": 32, "t": 1, …}, real seconds, CPU seconds)] per benchmark,
    medians when repetitions were aggregated. Parameters come from `key:value` parts of the run name."""
    import json

    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    runs = []
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        parts = b["run_name"].split("/")
        params = {k: int(v) for k, v in (p.split(":") for p in parts[1:] if ":" in p) if v.isdigit()}
        s = unit[b["time_unit"]]
        runs.append((parts[0], params, b["real_time"] * s, b["cpu_time"] * s))
    return runs
