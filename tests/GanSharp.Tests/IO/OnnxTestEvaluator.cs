using System.Runtime.InteropServices;
using GanSharp.IO;

namespace GanSharp.Tests.IO;

/// <summary>
/// Runs a decoded ONNX graph with naive loops in double precision, following the ONNX operator
/// specifications (opset 13) rather than GanSharp's kernels, so agreement with the generator means
/// the exported graph computes what the network computes. Covers exactly the ops the exporter emits.
/// </summary>
internal static class OnnxTestEvaluator
{
    private sealed record Value(double[] Data, int[] Shape);

    public static (double[] Data, int[] Shape) Run(DecodedGraph graph, float[] z, int rows)
    {
        var values = new Dictionary<string, Value>();
        foreach (var init in graph.Initializers)
        {
            double[] data = init.DataType switch
            {
                OnnxDataType.Float => MemoryMarshal.Cast<byte, float>(init.RawData).ToArray().Select(v => (double)v).ToArray(),
                OnnxDataType.Int64 => MemoryMarshal.Cast<byte, long>(init.RawData).ToArray().Select(v => (double)v).ToArray(),
                _ => throw new NotSupportedException($"initializer {init.Name}: data type {init.DataType}"),
            };
            values[init.Name] = new Value(data, init.Dims.Select(d => (int)d).ToArray());
        }
        values[graph.Inputs[0].Name] = new Value(z.Select(v => (double)v).ToArray(), [rows, z.Length / rows]);

        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(name => values[name]).ToArray();
            values[node.Outputs[0]] = node.OpType switch
            {
                "Gemm" => Gemm(inputs, node),
                "Relu" => Map(inputs[0], v => Math.Max(v, 0)),
                "LeakyRelu" => Map(inputs[0], v => v > 0 ? v : Float(node, "alpha", 0.01f) * v),
                "Sigmoid" => Map(inputs[0], v => 1 / (1 + Math.Exp(-v))),
                "Tanh" => Map(inputs[0], Math.Tanh),
                "Softplus" => Map(inputs[0], v => Math.Log(1 + Math.Exp(v))),
                "Conv" => Conv(inputs, node),
                "ConvTranspose" => ConvTranspose(inputs, node),
                "BatchNormalization" => BatchNormalization(inputs, node),
                "Reshape" => Reshape(inputs[0], inputs[1]),
                "Flatten" => Flatten(inputs[0], (int)Int(node, "axis", 1)),
                "ReduceMax" => ReduceMax(inputs[0], node),
                "Identity" => inputs[0],
                _ => throw new NotSupportedException($"node {node.Name}: op {node.OpType} is not in the test evaluator"),
            };
        }
        var output = values[graph.Outputs[0].Name];
        return (output.Data, output.Shape);
    }

    private static OnnxAttribute? Attribute(OnnxNode node, string name) => node.Attributes.FirstOrDefault(a => a.Name == name);
    private static float Float(OnnxNode node, string name, float fallback) => Attribute(node, name)?.FloatValue ?? fallback;
    private static long Int(OnnxNode node, string name, long fallback) => Attribute(node, name)?.IntValue ?? fallback;
    private static long[] Ints(OnnxNode node, string name, params long[] fallback) => Attribute(node, name)?.IntValues ?? fallback;

    private static Value Map(Value x, Func<double, double> f) => new(x.Data.Select(f).ToArray(), x.Shape);

    private static Value Gemm(Value[] inputs, OnnxNode node)
    {
        Assert.Null(Attribute(node, "transA"));
        Assert.Null(Attribute(node, "alpha"));
        Assert.Null(Attribute(node, "beta"));
        var (a, b) = (inputs[0], inputs[1]);
        bool transB = Int(node, "transB", 0) == 1;
        int n = a.Shape[0], k = a.Shape[1], m = transB ? b.Shape[0] : b.Shape[1];
        Assert.Equal(k, transB ? b.Shape[1] : b.Shape[0]);
        var y = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double sum = inputs.Length > 2 ? inputs[2].Data[j] : 0;
                for (int p = 0; p < k; p++) sum += a.Data[i * k + p] * (transB ? b.Data[j * k + p] : b.Data[p * m + j]);
                y[i * m + j] = sum;
            }
        return new Value(y, [n, m]);
    }

    private static (int Kernel, int Stride, int Pad) SquareConvAttributes(OnnxNode node, Value weight)
    {
        var kernel = Ints(node, "kernel_shape", weight.Shape[2], weight.Shape[3]);
        var strides = Ints(node, "strides", 1, 1);
        var pads = Ints(node, "pads", 0, 0, 0, 0);
        Assert.Equal([weight.Shape[2], weight.Shape[3]], kernel.Select(v => (int)v));
        Assert.True(kernel[0] == kernel[1] && strides[0] == strides[1] && pads.All(p => p == pads[0]), "square, symmetric attributes");
        Assert.Null(Attribute(node, "group"));
        Assert.Null(Attribute(node, "dilations"));
        return ((int)kernel[0], (int)strides[0], (int)pads[0]);
    }

    /// <summary>y[n, o, i, j] = b[o] + sum over c, u, v of x[n, c, i s + u - p, j s + v - p] w[o, c, u, v].</summary>
    private static Value Conv(Value[] inputs, OnnxNode node)
    {
        var (x, w) = (inputs[0], inputs[1]);
        var (k, s, p) = SquareConvAttributes(node, w);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0];
        int ho = (h + 2 * p - k) / s + 1, wo = (wd + 2 * p - k) / s + 1;
        var y = new double[n * o * ho * wo];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++)
                    {
                        double sum = inputs.Length > 2 ? inputs[2].Data[oc] : 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++)
                                {
                                    int yy = i * s + u - p, xx = j * s + v - p;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                    sum += x.Data[((b * c + ic) * h + yy) * wd + xx] * w.Data[((oc * c + ic) * k + u) * k + v];
                                }
                        y[((b * o + oc) * ho + i) * wo + j] = sum;
                    }
        return new Value(y, [n, o, ho, wo]);
    }

    /// <summary>Each input pixel (i, j) adds x w[c, o, u, v] at output (i s + u - p, j s + v - p); size (in - 1) s + op + k - 2p.</summary>
    private static Value ConvTranspose(Value[] inputs, OnnxNode node)
    {
        var (x, w) = (inputs[0], inputs[1]);
        var (k, s, p) = SquareConvAttributes(node, w);
        var outputPadding = Ints(node, "output_padding", 0, 0);
        Assert.Equal(outputPadding[0], outputPadding[1]);
        int op = (int)outputPadding[0];
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[1];
        int ho = (h - 1) * s + op + k - 2 * p, wo = (wd - 1) * s + op + k - 2 * p;
        var y = new double[n * o * ho * wo];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < ho * wo; i++)
                    y[(b * o + oc) * ho * wo + i] = inputs.Length > 2 ? inputs[2].Data[oc] : 0;
        for (int b = 0; b < n; b++)
            for (int ic = 0; ic < c; ic++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++)
                        for (int oc = 0; oc < o; oc++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++)
                                {
                                    int yy = i * s + u - p, xx = j * s + v - p;
                                    if (yy < 0 || yy >= ho || xx < 0 || xx >= wo) continue;
                                    y[((b * o + oc) * ho + yy) * wo + xx] += x.Data[((b * c + ic) * h + i) * wd + j] * w.Data[((ic * o + oc) * k + u) * k + v];
                                }
        return new Value(y, [n, o, ho, wo]);
    }

    /// <summary>Inference form: (x - mean) / sqrt(var + epsilon) * scale + bias, per channel (axis 1).</summary>
    private static Value BatchNormalization(Value[] inputs, OnnxNode node)
    {
        var x = inputs[0];
        double eps = Float(node, "epsilon", 1e-5f);
        int channels = x.Shape[1], inner = x.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
        var y = new double[x.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int ch = i / inner % channels;
            y[i] = (x.Data[i] - inputs[3].Data[ch]) / Math.Sqrt(inputs[4].Data[ch] + eps) * inputs[1].Data[ch] + inputs[2].Data[ch];
        }
        return new Value(y, x.Shape);
    }

    /// <summary>0 copies the input's dimension, -1 takes what is left.</summary>
    private static Value Reshape(Value x, Value shape)
    {
        var dims = shape.Data.Select((d, i) => d == 0 ? x.Shape[i] : (int)d).ToArray();
        int known = dims.Where(d => d != -1).Aggregate(1, (a, b) => a * b);
        dims = dims.Select(d => d == -1 ? x.Data.Length / known : d).ToArray();
        Assert.Equal(x.Data.Length, dims.Aggregate(1, (a, b) => a * b));
        return new Value(x.Data, dims);
    }

    private static Value Flatten(Value x, int axis) =>
        new(x.Data, [x.Shape.Take(axis).Aggregate(1, (a, b) => a * b), x.Shape.Skip(axis).Aggregate(1, (a, b) => a * b)]);

    private static Value ReduceMax(Value x, OnnxNode node)
    {
        var axes = Ints(node, "axes");
        Assert.Single(axes);
        int axis = (int)axes[0];
        bool keep = Int(node, "keepdims", 1) == 1;
        int outer = x.Shape.Take(axis).Aggregate(1, (a, b) => a * b), size = x.Shape[axis], inner = x.Shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity;
                for (int r = 0; r < size; r++) max = Math.Max(max, x.Data[(o * size + r) * inner + i]);
                y[o * inner + i] = max;
            }
        int[] shape = keep ? x.Shape.Select((d, i) => i == axis ? 1 : d).ToArray() : x.Shape.Where((_, i) => i != axis).ToArray();
        return new Value(y, shape);
    }
}
