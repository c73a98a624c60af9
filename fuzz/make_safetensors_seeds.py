#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_safetensors (fuzz/corpus/safetensors/, a few hundred bytes each) with
Python's safetensors, plus two hand-made files Python would not write (odd header length, unknown field).

    .venv/bin/python fuzz/make_safetensors_seeds.py
"""
import os
import struct

import torch
from safetensors.torch import save

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "safetensors")


def raw(header, data=b""):
    h = header.encode()
    return struct.pack("<Q", len(h)) + h + data


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "empty": save({}),
        "scalar_meta": save({"x": torch.tensor(1.5)}, metadata={"format": "pt"}),
        "mixed": save({"a": torch.arange(4, dtype=torch.int64), "b": torch.ones(2, 2, dtype=torch.float16),
                       "c": torch.ones(3, dtype=torch.bfloat16), "d": torch.tensor([1, -2], dtype=torch.int32),
                       "e": torch.tensor([True, False]), "f": torch.zeros(0, 2), "g": torch.ones(1, dtype=torch.float64),
                       "h": torch.tensor([7], dtype=torch.uint8)}),
        "odd_header": raw('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', struct.pack("<2f", 1.0, -2.0)),
        "extra_field": raw(' {"__metadata__":null,"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8],"z":[{}]}}',
                           struct.pack("<q", -5)),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
