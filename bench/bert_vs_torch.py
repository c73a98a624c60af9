"""all-MiniLM-L6-v2 embedding throughput: attn vs HF transformers (PyTorch) vs ONNX Runtime, side by side.

  build/<dir>/bench/bench_bert --benchmark_out=/tmp/bert.json --benchmark_out_format=json
  HF_HUB_OFFLINE=1 .venv/bin/python bench/bert_vs_torch.py /tmp/bert.json

Shapes as bench_bert.cpp: batch × tokens = 1 × 16, 32 × 128, 64 × 256, with 1 and 2 threads
(torch.set_num_threads equal to attn's). HF runs BertModel (eager attention, eval, no_grad) on a (B, T)
batch of random ids plus mean pooling and normalisation, the sentence-transformers recipe; the medians of
`--repeats` timed runs are compared with attn's forward (stacked batch) and encode (each text alone, texts
spread over the threads) paths. ONNX Runtime (onnxruntime, pinned in tools/requirements.txt) runs the same
checkpoint exported by torch.onnx.export (opset 14, dynamic batch and length; cached in
build/bert-onnx/) with graph optimisations on, intra_op_num_threads = threads, the same pooling in numpy;
the export is checked against torch (max-abs printed) before timing. Prints sentences/s and attn/torch,
attn/ORT ratios (> 1: attn faster).

With `--rss build/<dir>/bench/bench_bert` it then measures each engine's peak resident memory per shape
(1 thread): every (engine, shape) runs in a fresh process — the model loaded, the shape run 3 times — and
its peak RSS is read from os.wait4's rusage (ru_maxrss, spawned from a small launcher), the same
measure for all three.
"""
import argparse
import os
import pathlib
import subprocess
import sys

import numpy as np
import torch

from peer_timing import benchmark_runs, timed

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

    return timed(run, B, threads, repeats, min_time)


def onnx_model(model):
    """The checkpoint as ONNX (exported once, cached), checked against torch on a padded batch."""
    path = ROOT / "build" / "bert-onnx" / "all-MiniLM-L6-v2.onnx"
    ids = torch.randint(1000, 30000, (2, 9), generator=torch.Generator().manual_seed(1))
    mask = torch.ones(2, 9, dtype=torch.long)
    mask[1, 6:] = 0
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.onnx")
        torch.onnx.export(model, (ids, mask), str(tmp), input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"], opset_version=14,
                          dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                        "last_hidden_state": {0: "b", 1: "t"}})
        tmp.rename(path)
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        want = model(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
    got = sess.run(["last_hidden_state"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
    print(f"onnxruntime {ort.__version__}: {path.name} vs torch max-abs {np.abs(got - want).max():.2e}")
    return path


def time_ort(path, B, T, threads, repeats, min_time=0.5):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    ids = torch.randint(1000, 30000, (B, T), generator=torch.Generator().manual_seed(0)).numpy()
    mask = np.ones((B, T), dtype=np.int64)

    def run():
        h = sess.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})[0]
        e = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)

    return timed(run, B, threads, repeats, min_time)


def attn_rates(path):
    """{(path, B, T, threads): (wall sentences/s, CPU-time sentences/s)} from bench_bert's JSON."""
    out = {}
    for name, p, real, cpu in benchmark_runs(path):
        B, t = p["B"], p["t"]
        out[(name.replace("BM_", ""), B, p["T"], t)] = (B / real, B / (cpu / t))
    return out


def load_hf():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import BertModel
    return BertModel.from_pretrained(str(ROOT / "models" / "all-MiniLM-L6-v2"), attn_implementation="eager").eval()


def child(engine, B, T):
    """One engine, one shape, 3 runs, in this (fresh) process: what --rss measures."""
    if engine == "torch":
        time_hf(load_hf(), B, T, 1, 3, min_time=0)
    else:
        time_ort(ROOT / "build" / "bert-onnx" / "all-MiniLM-L6-v2.onnx", B, T, 1, 3, min_time=0)


# Launches cmd from a small fresh interpreter and prints the grandchild's ru_maxrss: Linux counts a forked
# child's pre-exec RSS in its maxrss, so a child forked from this (1.5 GB) process would report 1.5 GB.
_LAUNCHER = ("import os, sys\n"
             "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], dict(os.environ),\n"
             "                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])\n"
             "_, status, usage = os.wait4(pid, 0)\n"
             "print(usage.ru_maxrss if status == 0 else -1)\n")


def peak_rss_mb(cmd):
    """Runs cmd to completion; its peak resident set size in MB (ru_maxrss of that process alone)."""
    p = subprocess.run(["/usr/bin/python3", "-S", "-c", _LAUNCHER, *map(str, cmd)], capture_output=True,
                       text=True, cwd=ROOT)
    kb = int(p.stdout.strip() or -1)
    if p.returncode != 0 or kb < 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed: {p.stderr[-2000:]}")
    return kb / 1024


def rss_table(bench):
    print("peak RSS, MB (a fresh process per engine and shape, 1 thread, 3 runs)")
    print(f"{'B x T':>9} {'HF torch':>9} {'ONNX Runtime':>13} {'attn forward':>13} {'attn encode':>12}")
    me = [sys.executable, str(pathlib.Path(__file__).resolve()), "-", "--child"]
    for B, T in SHAPES:
        row = [peak_rss_mb(me + [e, str(B), str(T)]) for e in ("torch", "ort")]
        for path in ("forward", "encode"):
            row.append(peak_rss_mb([bench, f"--benchmark_filter=BM_{path}/B:{B}/T:{T}/t:1/",
                                    "--benchmark_min_time=0", "--benchmark_repetitions=3"]))
        print(f"{B:>4} x {T:<3} {row[0]:9.0f} {row[1]:13.0f} {row[2]:13.0f} {row[3]:12.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("attn_json", help="bench_bert's JSON output ('-' with --child)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rss", metavar="BENCH_BERT", help="also measure peak RSS, running this bench_bert binary")
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "B", "T"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), int(args.child[2]))
    import transformers

    model = load_hf()
    attn = attn_rates(args.attn_json)
    onnx_path = onnx_model(model)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}; sentences/s (median of {args.repeats})")
    print("rates from wall time | from process CPU time / threads (the estimate for a machine to oneself)")
    print(f"{'B x T':>9} {'thr':>3} {'HF torch':>17} {'ONNX Runtime':>17} {'attn forward':>17} {'attn encode':>17}"
          f" {'fwd/torch':>11} {'enc/torch':>11} {'fwd/ORT':>11} {'enc/ORT':>11}")
    pair = lambda v: f"{v[0]:7.1f} | {v[1]:7.1f}" if v else f"{'-':>17}"
    ratio = lambda v, h: f"{v[0] / h[0]:4.2f} | {v[1] / h[1]:4.2f}" if v else f"{'-':>11}"
    for threads in (1, 2):
        for B, T in SHAPES:
            fwd, enc = attn.get(("forward", B, T, threads)), attn.get(("encode", B, T, threads))
            if not fwd and not enc:
                continue
            hf = time_hf(model, B, T, threads, args.repeats)
            ox = time_ort(onnx_path, B, T, threads, args.repeats)
            print(f"{B:>4} x {T:<3} {threads:>3} {pair(hf)} {pair(ox)} {pair(fwd)} {pair(enc)} {ratio(fwd, hf):>11}"
                  f" {ratio(enc, hf):>11} {ratio(fwd, ox):>11} {ratio(enc, ox):>11}")
    if args.rss:
        rss_table(args.rss)


if __name__ == "__main__":
    main()
