using System.Globalization;
using GanSharp.Nn;

namespace GanSharp.IO;

/// <summary>
/// Maps a generator (a <see cref="Sequential"/>) in evaluation mode to an ONNX graph from "z"
/// [N, inputs] to "x" [N, outputs]. Initializers keep the PyTorch state_dict names ("0.weight",
/// "2.running_mean"), so the ONNX file and the safetensors export name weights alike.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "z";
    public const string OutputName = "x";
    private const string BatchSymbol = "N";

    public static OnnxGraph FromNetwork(Module network, int inputs, int outputs)
    {
        var layers = (network as Sequential ?? throw new NotSupportedException(
            $"ONNX export handles a Sequential network; got a {network.GetType().Name}.")).Layers;
        var graph = new OnnxGraph("gansharp_generator");
        graph.AddInput(InputName, OnnxDimension.Symbolic(BatchSymbol), OnnxDimension.Fixed(inputs));

        // Dropout is the identity in evaluation mode, so it emits no node and the last layer that
        // does emit one writes the graph output.
        int last = -1;
        for (int i = 0; i < layers.Count; i++)
            if (layers[i] is not Dropout) last = i;

        string value = InputName;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Dropout) continue;
            string output = i == last ? OutputName : Name(i, "output");
            AddLayer(graph, layers[i], i, value, output);
            value = output;
        }
        if (last < 0) graph.AddNode("Identity", "identity", [InputName], OutputName);
        graph.AddOutput(OutputName, OnnxDimension.Symbolic(BatchSymbol), OnnxDimension.Fixed(outputs));
        return graph;
    }

    private static void AddLayer(OnnxGraph graph, Module layer, int index, string input, string output)
    {
        string node = index.ToString(CultureInfo.InvariantCulture);
        switch (layer)
        {
            case Linear linear:
                graph.AddNode("Gemm", node, Inputs(input, Weight(graph, index, linear.Weight), Bias(graph, index, linear.Bias)), output,
                    OnnxAttribute.Int("transB", 1)); // weight is [out, in], as PyTorch's
                break;
            case Maxout maxout:
                // Linear to units * pieces, view as [N, units, pieces], max over the pieces.
                string linearOut = Name(index, "linear");
                string piecesOut = Name(index, "pieces");
                graph.AddNode("Gemm", node + ".linear", [input, Weight(graph, index, maxout.Weight), Constant(graph, index, "bias", maxout.Bias)], linearOut,
                    OnnxAttribute.Int("transB", 1));
                string piecesShape = graph.AddInt64Initializer(Name(index, "pieces_shape"), [-1, maxout.Units, maxout.Pieces], 3);
                graph.AddNode("Reshape", node + ".pieces", [linearOut, piecesShape], piecesOut);
                graph.AddNode("ReduceMax", node, [piecesOut], output, OnnxAttribute.Ints("axes", 2), OnnxAttribute.Int("keepdims", 0));
                break;
            case Conv2d conv:
                graph.AddNode("Conv", node, Inputs(input, Weight(graph, index, conv.Weight), Bias(graph, index, conv.Bias)), output,
                    OnnxAttribute.Ints("kernel_shape", conv.KernelSize, conv.KernelSize),
                    OnnxAttribute.Ints("strides", conv.Stride, conv.Stride),
                    OnnxAttribute.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding));
                break;
            case ConvTranspose2d deconv:
                // ONNX and PyTorch agree on the weight layout [in, out, k, k] and the output size formula.
                graph.AddNode("ConvTranspose", node, Inputs(input, Weight(graph, index, deconv.Weight), Bias(graph, index, deconv.Bias)), output,
                    OnnxAttribute.Ints("kernel_shape", deconv.KernelSize, deconv.KernelSize),
                    OnnxAttribute.Ints("strides", deconv.Stride, deconv.Stride),
                    OnnxAttribute.Ints("pads", deconv.Padding, deconv.Padding, deconv.Padding, deconv.Padding),
                    OnnxAttribute.Ints("output_padding", deconv.OutputPadding, deconv.OutputPadding));
                break;
            case BatchNorm norm:
                // Inference form: the running statistics normalise, as in GanSharp's evaluation mode.
                graph.AddNode("BatchNormalization", node,
                    [input, Weight(graph, index, norm.Weight), Constant(graph, index, "bias", norm.Bias),
                     Constant(graph, index, "running_mean", norm.RunningMean), Constant(graph, index, "running_var", norm.RunningVar)],
                    output, OnnxAttribute.Float("epsilon", norm.Eps));
                break;
            case Unflatten unflatten:
                string shape = graph.AddInt64Initializer(Name(index, "shape"), [-1, unflatten.Channels, unflatten.Height, unflatten.Width], 4);
                graph.AddNode("Reshape", node, [input, shape], output);
                break;
            case Flatten:
                graph.AddNode("Flatten", node, [input], output, OnnxAttribute.Int("axis", 1));
                break;
            case ReLU: graph.AddNode("Relu", node, [input], output); break;
            case LeakyReLU leaky: graph.AddNode("LeakyRelu", node, [input], output, OnnxAttribute.Float("alpha", leaky.NegativeSlope)); break;
            case Sigmoid: graph.AddNode("Sigmoid", node, [input], output); break;
            case Tanh: graph.AddNode("Tanh", node, [input], output); break;
            case Softplus: graph.AddNode("Softplus", node, [input], output); break;
            default:
                throw new NotSupportedException($"ONNX export: layer {index} is a {layer.GetType().Name}, which has no ONNX mapping.");
        }
    }

    private static string Name(int index, string suffix) => index.ToString(CultureInfo.InvariantCulture) + "." + suffix;

    private static string Weight(OnnxGraph graph, int index, Parameter weight) => Constant(graph, index, "weight", weight);

    private static string? Bias(OnnxGraph graph, int index, Parameter? bias) => bias == null ? null : Constant(graph, index, "bias", bias);

    private static string Constant(OnnxGraph graph, int index, string name, Tensors.Tensor tensor) =>
        graph.AddInitializer(Name(index, name), tensor.ToArray(), tensor.Shape.ToArray().Select(d => (long)d).ToArray());

    /// <summary>Node inputs without the bias when the layer has none (an optional trailing input).</summary>
    private static string[] Inputs(string input, string weight, string? bias) => bias == null ? [input, weight] : [input, weight, bias];
}
