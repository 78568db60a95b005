#!/usr/bin/python3
"""Checks a GanSharp ONNX export: runs onnx.checker, then evaluates the graph with a small numpy
interpreter of the ops the exporter emits and compares with GanSharp's own output.

Usage: scripts/check_onnx.py MODEL.onnx Z.npy X.npy [--tolerance 1e-4]
(Z.npy and X.npy come from `gansharp export RUN --format onnx --check-inputs DIR`.)
Exits 0 when the max abs difference is within the tolerance, 1 otherwise.

The interpreter is plain numpy (float64) rather than onnxruntime, which Debian does not package.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    y = alpha * ((a.T if transA else a) @ (b.T if transB else b))
    return y if c is None else y + beta * c


def reshape(x, shape):
    # ONNX opset 13: 0 copies the input's dimension, -1 is inferred.
    shape = [x.shape[i] if d == 0 else int(d) for i, d in enumerate(shape)]
    return x.reshape(shape)


def flatten(x, axis=1):
    return x.reshape(int(np.prod(x.shape[:axis])), -1)


def reduce_max(x, axes=None, keepdims=1):
    return x.max(axis=None if axes is None else tuple(axes), keepdims=bool(keepdims))


def check_conv_attributes(a, op):
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError(f"{op}: auto_pad is not supported")
    if any(d != 1 for d in a.get("dilations", [1, 1])) or a.get("group", 1) != 1:
        raise NotImplementedError(f"{op}: dilations and groups are not supported")


def conv(x, w, b=None, **a):
    check_conv_attributes(a, "Conv")
    k = w.shape[2:]
    s = a.get("strides", [1, 1])
    p = a.get("pads", [0, 0, 0, 0])
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])))
    ho = (xp.shape[2] - k[0]) // s[0] + 1
    wo = (xp.shape[3] - k[1]) // s[1] + 1
    y = np.zeros((x.shape[0], w.shape[0], ho, wo))
    for i in range(k[0]):
        for j in range(k[1]):
            patch = xp[:, :, i:i + s[0] * (ho - 1) + 1:s[0], j:j + s[1] * (wo - 1) + 1:s[1]]
            y += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def conv_transpose(x, w, b=None, **a):
    # Scatter each input pixel through the kernel into the full output, then crop the pads.
    check_conv_attributes(a, "ConvTranspose")
    if "output_shape" in a:
        raise NotImplementedError("ConvTranspose: output_shape is not supported")
    k = w.shape[2:]
    s = a.get("strides", [1, 1])
    p = a.get("pads", [0, 0, 0, 0])
    op = a.get("output_padding", [0, 0])
    h, wd = x.shape[2:]
    full = np.zeros((x.shape[0], w.shape[1], (h - 1) * s[0] + k[0] + op[0], (wd - 1) * s[1] + k[1] + op[1]))
    for i in range(k[0]):
        for j in range(k[1]):
            full[:, :, i:i + s[0] * (h - 1) + 1:s[0], j:j + s[1] * (wd - 1) + 1:s[1]] += \
                np.einsum("nchw,co->nohw", x, w[:, :, i, j])
    y = full[:, :, p[0]:full.shape[2] - p[2], p[1]:full.shape[3] - p[3]]
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def batch_norm(x, scale, bias, mean, var, epsilon=1e-5, **_):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + epsilon) * scale.reshape(shape) + bias.reshape(shape)


OPS = {
    "Gemm": gemm,
    "Relu": lambda x: np.maximum(x, 0),
    "LeakyRelu": lambda x, alpha=0.01: np.where(x > 0, x, alpha * x),
    "Sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "Tanh": np.tanh,
    "Softplus": lambda x: np.logaddexp(0, x),
    "Conv": conv,
    "ConvTranspose": conv_transpose,
    "BatchNormalization": batch_norm,
    "Reshape": reshape,
    "Flatten": flatten,
    "ReduceMax": reduce_max,
    "Identity": lambda x: x,
}


def evaluate(graph, z):
    values = {t.name: numpy_helper.to_array(t).astype(np.float64 if t.data_type == onnx.TensorProto.FLOAT else np.int64)
              for t in graph.initializer}
    values[graph.input[0].name] = z.astype(np.float64)
    for node in graph.node:
        if node.op_type not in OPS:
            raise NotImplementedError(f"node {node.name}: op {node.op_type} is not in this interpreter")
        inputs = [values[name] for name in node.input if name]
        values[node.output[0]] = OPS[node.op_type](*inputs, **attributes(node))
    return values[graph.output[0].name]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("z")
    parser.add_argument("x")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    model = onnx.load(args.model)
    onnx.checker.check_model(model, full_check=True)  # full_check also runs shape inference
    print(f"onnx.checker: ok (ir_version {model.ir_version}, opset {model.opset_import[0].version}, "
          f"ops {sorted({n.op_type for n in model.graph.node})})")

    z, expected = np.load(args.z), np.load(args.x)
    actual = evaluate(model.graph, z)
    if actual.shape != expected.shape:
        print(f"FAIL: graph output has shape {actual.shape}, GanSharp's {expected.shape}")
        return 1
    diff = float(np.max(np.abs(actual - expected)))
    ok = diff <= args.tolerance
    print(f"{'ok' if ok else 'FAIL'}: max abs diff {diff:.3g} over {expected.size} values (tolerance {args.tolerance:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
