#!/usr/bin/python3
"""Rebuilds a GanSharp generator in PyTorch from `gansharp export RUN --format safetensors`,
loads its weights with load_state_dict(strict=True), runs a fixed z and compares with GanSharp's output.

Usage: scripts/load_torch.py WEIGHTS.safetensors Z.npy X.npy [--tolerance 1e-4]
(Z.npy and X.npy come from `gansharp export RUN --format safetensors --check-inputs DIR`.)
Exits 0 when the max abs difference is within the tolerance, 1 otherwise.

The safetensors file is parsed by hand (Debian has no `safetensors` package): an 8-byte
little-endian header length, a JSON header of name -> {dtype, shape, data_offsets} plus
"__metadata__", then the raw little-endian data.
"""
import argparse
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "U64": np.uint64, "U8": np.uint8}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length])
    metadata = header.pop("__metadata__", {})
    start = 8 + header_length
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[start + begin:start + end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).astype(array.dtype.newbyteorder("=")))
    return tensors, metadata


class Maxout(nn.Module):
    """pylearn2's maxout as GanSharp has it: a linear map to units * pieces, max over each run of pieces."""

    def __init__(self, in_features, units, pieces):
        super().__init__()
        self.units, self.pieces = units, pieces
        self.weight = nn.Parameter(torch.empty(units * pieces, in_features))
        self.bias = nn.Parameter(torch.empty(units * pieces))

    def forward(self, x):
        return nn.functional.linear(x, self.weight, self.bias).view(-1, self.units, self.pieces).max(dim=2).values


def build(modules):
    layers = []
    for spec in modules:
        kind = spec.pop("type")
        args = {k: tuple(v) if isinstance(v, list) else v for k, v in spec.items()}  # Unflatten wants a tuple
        layers.append(Maxout(**args) if kind == "Maxout" else getattr(nn, kind)(**args))
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("weights")
    parser.add_argument("z")
    parser.add_argument("x")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    state, metadata = read_safetensors(args.weights)
    if metadata.get("format") != "gansharp-torch-state-dict-1":
        print(f"FAIL: {args.weights} is not a GanSharp state_dict export (format {metadata.get('format')!r})")
        return 1
    model = build(json.loads(metadata["modules"]))
    model.load_state_dict(state, strict=True)
    model.eval()
    print(f"load_state_dict(strict=True): ok, {len(state)} tensors\n{model}")

    z, expected = np.load(args.z), np.load(args.x)
    with torch.no_grad():
        actual = model(torch.from_numpy(z)).numpy()
    if actual.shape != expected.shape:
        print(f"FAIL: torch output has shape {actual.shape}, GanSharp's {expected.shape}")
        return 1
    diff = float(np.max(np.abs(actual.astype(np.float64) - expected)))
    ok = diff <= args.tolerance
    print(f"{'ok' if ok else 'FAIL'}: max abs diff {diff:.3g} over {expected.size} values (tolerance {args.tolerance:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
