#!/usr/bin/env python3
"""Checks that a safetensors file written by attn loads in Python's safetensors with the expected values.

    .venv/bin/python tools/check_io_roundtrip.py [FILE]

FILE defaults to tests/data/io/attn_written.safetensors, which tests/io/safetensors_test.cpp
(SafetensorsFixture.WriterOutputMatchesCommittedAttnFile) keeps byte-identical to what attn's writer produces
(ATTN_REGENERATE_FIXTURES=1 rewrites it). attn built it from reference.json's raw bit patterns, so it must hold:
  - every tensor of tests/data/io/reference.safetensors except U8, with the same dtype, shape and bits
  - "f32_t"       = reference f32.T          (attn wrote a non-contiguous transpose view)
  - "i64_step2"   = reference i64[::2]       (attn wrote a strided slice view)
  - metadata {"format": "pt", "writer": "attn", "note": <reference note>}
Exits 1 with a list of differences otherwise. Registered as the ctest io_python_reads_attn_file.
"""
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "io")
BITS = {torch.float32: torch.int32, torch.float64: torch.int64, torch.float16: torch.int16,
        torch.bfloat16: torch.int16}


def same_bits(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype in BITS:
        return torch.equal(a.contiguous().view(BITS[a.dtype]), b.contiguous().view(BITS[b.dtype]))
    return torch.equal(a, b)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATA, "attn_written.safetensors")
    ref = load_file(os.path.join(DATA, "reference.safetensors"))
    with safe_open(os.path.join(DATA, "reference.safetensors"), "pt") as f:
        note = f.metadata()["note"]
    expected = {k: v for k, v in ref.items() if v.dtype != torch.uint8}
    expected["f32_t"] = ref["f32"].t().contiguous()
    expected["i64_step2"] = ref["i64"][::2].contiguous()
    expected_meta = {"format": "pt", "writer": "attn", "note": note}

    got = load_file(path)  # raises on any format violation
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    errors = []
    for name in sorted(set(expected) | set(got)):
        if name not in got:
            errors.append(f"missing tensor {name!r}")
        elif name not in expected:
            errors.append(f"unexpected tensor {name!r}")
        elif not same_bits(got[name], expected[name]):
            errors.append(f"tensor {name!r}: got {got[name].dtype} {tuple(got[name].shape)} {got[name]}, "
                          f"expected {expected[name].dtype} {tuple(expected[name].shape)} {expected[name]}")
    if meta != expected_meta:
        errors.append(f"metadata {meta!r} != {expected_meta!r}")
    if errors:
        print(f"{path}: {len(errors)} difference(s):\n  " + "\n  ".join(errors))
        return 1
    print(f"{path}: Python safetensors loads {len(got)} tensors and {len(meta)} metadata entries, all bit-equal "
          f"to the reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
