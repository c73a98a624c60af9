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
