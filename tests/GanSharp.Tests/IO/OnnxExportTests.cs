using System.Runtime.InteropServices;
using GanSharp.IO;
using GanSharp.Nn;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Tests.IO;

public class OnnxExportTests
{
    private const int Rows = 5;

    /// <summary>Every activation after a Linear (fused in GanSharp, separate nodes in ONNX), and a Linear without bias.</summary>
    private static Sequential Mlp(Rng rng) => new(
        new Linear(3, 8, rng: rng), new ReLU(),
        new Linear(8, 8, rng: rng), new LeakyReLU(0.2f),
        new Linear(8, 8, rng: rng), new Tanh(),
        new Linear(8, 8, bias: false, rng: rng), new Softplus(),
        new Linear(8, 4, rng: rng), new Sigmoid());

    /// <summary>Maxout, batch norm over features, and dropout in the middle and at the end (no node, so "x" must still be produced).</summary>
    private static Sequential MaxoutNet(Rng rng) => WithRandomStatistics(new Sequential(
        new Linear(3, 10, rng: rng), new BatchNorm1d(10), new LeakyReLU(0.1f),
        new Maxout(10, 6, 3, rng), new Dropout(0.5f, rng),
        new Linear(6, 4, rng: rng), new Dropout(0.2f, rng)), rng);

    /// <summary>A DCGAN-style generator plus a convolution: 3 -> 2x3x3 -> 4x6x6 -> 3x12x12 -> 2x12x12 -> 2x7x7.</summary>
    private static Sequential ConvNet(Rng rng) => WithRandomStatistics(new Sequential(
        new Linear(3, 18, rng: rng), new Unflatten(2, 3, 3), new BatchNorm2d(2), new ReLU(),
        new ConvTranspose2d(2, 4, 4, stride: 2, padding: 1, rng: rng), new BatchNorm2d(4), new ReLU(),
        new ConvTranspose2d(4, 3, 3, stride: 2, padding: 1, outputPadding: 1, bias: false, rng: rng), new Softplus(),
        new Conv2d(3, 2, 3, stride: 1, padding: 1, rng: rng), new Tanh(),
        new Conv2d(2, 2, 3, stride: 2, padding: 2, bias: false, rng: rng),
        new Flatten()), rng);

    /// <summary>Batch norm with non-trivial affine parameters and running statistics, so evaluation mode is really tested.</summary>
    private static Sequential WithRandomStatistics(Sequential network, Rng rng)
    {
        foreach (var norm in network.Layers.OfType<BatchNorm>())
        {
            rng.FillUniform(norm.Weight.Span, 0.5f, 1.5f);
            rng.FillUniform(norm.Bias.Span, -0.5f, 0.5f);
            rng.FillUniform(norm.RunningMean.Span, -0.3f, 0.3f);
            rng.FillUniform(norm.RunningVar.Span, 0.5f, 2f);
        }
        return network;
    }

    private static int OutputsOf(Sequential network, int inputs) =>
        GeneratorSampling.Forward(network, Tensor.Zeros(1, inputs)).Length;

    private static DecodedModel Export(Sequential network, int inputs) =>
        OnnxTestReader.Read(OnnxWriter.ToArray(OnnxExport.FromNetwork(network, inputs, OutputsOf(network, inputs)), "gansharp-test", "1"));

    public static TheoryData<string> Networks => new() { "mlp", "maxout", "conv" };

    private static Sequential Build(string name, Rng rng) => name switch
    {
        "mlp" => Mlp(rng),
        "maxout" => MaxoutNet(rng),
        _ => ConvNet(rng),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Evaluated_graph_matches_the_generator_on_a_fixed_z(string name)
    {
        var network = Build(name, new Rng(11));
        var z = new float[Rows * 3];
        new Rng(12).FillNormal(z, 0f, 1.5f);
        var expected = GeneratorSampling.Forward(network, Tensor.From(z, Rows, 3));

        var (actual, shape) = OnnxTestEvaluator.Run(Export(network, 3).Graph, z, Rows);

        Assert.Equal([Rows, expected.Length / Rows], shape);
        double maxDiff = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(maxDiff < 1e-5, $"{name}: max abs diff {maxDiff}");
        Assert.True(expected.Max() - expected.Min() > 1e-2, $"{name}: the output should vary, else the comparison says little");
    }

    [Fact]
    public void Model_header_and_graph_structure()
    {
        var model = Export(Mlp(new Rng(1)), 3);

        Assert.Equal(8, model.IrVersion);
        Assert.Equal([("", 13L)], model.Opsets);
        Assert.Equal("gansharp-test", model.ProducerName);
        var graph = model.Graph;
        Assert.Equal(["Gemm", "Relu", "Gemm", "LeakyRelu", "Gemm", "Tanh", "Gemm", "Softplus", "Gemm", "Sigmoid"], graph.Nodes.Select(n => n.OpType));
        var input = Assert.Single(graph.Inputs);
        Assert.Equal("z", input.Name);
        Assert.Equal([OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(3)], input.Shape);
        var output = Assert.Single(graph.Outputs);
        Assert.Equal("x", output.Name);
        Assert.Equal([OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(4)], output.Shape);
        // Values flow node to node, from z to x.
        Assert.Equal("z", graph.Nodes[0].Inputs[0]);
        for (int i = 1; i < graph.Nodes.Count; i++) Assert.Equal(graph.Nodes[i - 1].Outputs[0], graph.Nodes[i].Inputs[0]);
        Assert.Equal("x", graph.Nodes[^1].Outputs[0]);

        var gemm = graph.Nodes[0];
        Assert.Equal(["z", "0.weight", "0.bias"], gemm.Inputs);
        var transB = Assert.Single(gemm.Attributes);
        Assert.Equal(("transB", OnnxAttributeType.Int, 1L), (transB.Name, transB.Type, transB.IntValue));
        Assert.Equal(["5.output", "6.weight"], graph.Nodes[6].Inputs); // the Linear without bias
        var alpha = Assert.Single(graph.Nodes[3].Attributes);
        Assert.Equal(("alpha", OnnxAttributeType.Float, 0.2f), (alpha.Name, alpha.Type, alpha.FloatValue));
    }

    [Fact]
    public void Initializers_are_the_parameters_and_running_statistics()
    {
        var network = ConvNet(new Rng(3));
        var initializers = Export(network, 3).Graph.Initializers.ToDictionary(i => i.Name);

        var expected = network.NamedParameters().Select(p => (p.Name, (Tensor)p.Parameter))
            .Concat(network.NamedBuffers().Select(b => (b.Name, b.Buffer))).ToList();
        Assert.Equal(expected.Select(e => e.Name).Append("1.shape").Order(), initializers.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            var init = initializers[name];
            Assert.Equal(OnnxDataType.Float, init.DataType);
            Assert.Equal(tensor.Shape.ToArray().Select(d => (long)d), init.Dims);
            Assert.Equal(tensor.ToArray(), MemoryMarshal.Cast<byte, float>(init.RawData).ToArray());
        }
        var shape = initializers["1.shape"];
        Assert.Equal(OnnxDataType.Int64, shape.DataType);
        Assert.Equal([-1L, 2, 3, 3], MemoryMarshal.Cast<byte, long>(shape.RawData).ToArray());
    }

    [Fact]
    public void Conv_layers_carry_their_attributes()
    {
        var nodes = Export(ConvNet(new Rng(4)), 3).Graph.Nodes;
        long[] Ints(OnnxNode node, string name) => node.Attributes.Single(a => a.Name == name).IntValues!;

        var deconv = nodes.Single(n => n.Name == "7");
        Assert.Equal("ConvTranspose", deconv.OpType);
        Assert.Equal(["6.output", "7.weight"], deconv.Inputs);
        Assert.Equal([3L, 3], Ints(deconv, "kernel_shape"));
        Assert.Equal([2L, 2], Ints(deconv, "strides"));
        Assert.Equal([1L, 1, 1, 1], Ints(deconv, "pads"));
        Assert.Equal([1L, 1], Ints(deconv, "output_padding"));
        var conv = nodes.Single(n => n.Name == "11");
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal([2L, 2, 2, 2], Ints(conv, "pads"));
        var norm = nodes.Single(n => n.Name == "2");
        Assert.Equal(["1.output", "2.weight", "2.bias", "2.running_mean", "2.running_var"], norm.Inputs);
        Assert.Equal(1e-5f, norm.Attributes.Single(a => a.Name == "epsilon").FloatValue);
    }

    [Fact]
    public void Maxout_becomes_gemm_reshape_reducemax_and_dropout_emits_nothing()
    {
        var graph = Export(MaxoutNet(new Rng(5)), 3).Graph;

        Assert.Equal(["Gemm", "BatchNormalization", "LeakyRelu", "Gemm", "Reshape", "ReduceMax", "Gemm"], graph.Nodes.Select(n => n.OpType));
        var reduce = graph.Nodes[5];
        var axes = reduce.Attributes.Single(a => a.Name == "axes");
        Assert.Equal(OnnxAttributeType.Ints, axes.Type);
        Assert.Equal([2L], axes.IntValues!);
        Assert.Equal(0, reduce.Attributes.Single(a => a.Name == "keepdims").IntValue);
        Assert.Equal("3.output", graph.Nodes[6].Inputs[0]); // straight past the dropout
        Assert.Equal("x", graph.Nodes[6].Outputs[0]);
        var pieces = graph.Initializers.Single(i => i.Name == "3.pieces_shape");
        Assert.Equal([-1L, 6, 3], MemoryMarshal.Cast<byte, long>(pieces.RawData).ToArray());
    }

    private sealed class Doubling : Module
    {
        public override Tensor Forward(Tensor input) => input * 2f;
    }

    [Fact]
    public void A_layer_without_mapping_is_named_in_the_error()
    {
        var network = new Sequential(new Linear(2, 2), new Doubling());
        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.FromNetwork(network, 2, 2));
        Assert.Contains("layer 1 is a Doubling", e.Message);
    }
}
