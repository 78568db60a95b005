using System.Globalization;
using System.Text.Json.Nodes;
using GanSharp.Nn;

namespace GanSharp.IO;

/// <summary>
/// A network's weights as the state_dict of the equivalent PyTorch nn.Sequential, in a safetensors
/// file whose metadata describes the layers ("modules": a JSON list of {"type": torch.nn class name,
/// constructor arguments...}), so a script can rebuild the network and load it with strict=True.
/// </summary>
/// <remarks>
/// Parameter names and layouts already match PyTorch (Linear [out, in], Conv2d [out, in, k, k],
/// ConvTranspose2d [in, out, k, k]). Dropout layers stay in the list because they take up an index
/// in the Sequential's names. Maxout has no torch.nn class; it is listed as "Maxout" with in_features,
/// units and pieces, and a script supplies the module (weight [units * pieces, in], bias, max over
/// each run of pieces consecutive features).
/// </remarks>
public static class TorchStateDictExport
{
    public const string Format = "gansharp-torch-state-dict-1";

    public static SafeTensorsWriter FromNetwork(Module network)
    {
        var sequential = network as Sequential ?? throw new NotSupportedException(
            $"PyTorch export handles a Sequential network; got a {network.GetType().Name}.");
        var writer = new SafeTensorsWriter();
        foreach (var (name, p) in network.NamedParameters()) writer.Add(name, p);
        foreach (var (name, b) in network.NamedBuffers()) writer.Add(name, b);

        var modules = new JsonArray();
        foreach (var (name, layer) in sequential.NamedChildren())
        {
            modules.Add(Describe(layer, name));
            // PyTorch's strict load wants the batch counter too. GanSharp does not count batches;
            // PyTorch reads the count only when momentum is None, which these layers never use.
            if (layer is BatchNorm) writer.AddInt64(name + ".num_batches_tracked", [0L]);
        }
        return writer.SetMetadata("format", Format).SetMetadata("modules", modules.ToJsonString());
    }

    private static JsonObject Describe(Module layer, string name) => layer switch
    {
        Linear l => new() { ["type"] = "Linear", ["in_features"] = l.InFeatures, ["out_features"] = l.OutFeatures, ["bias"] = l.Bias != null },
        Maxout m => new() { ["type"] = "Maxout", ["in_features"] = m.Weight.Shape[1], ["units"] = m.Units, ["pieces"] = m.Pieces },
        Conv2d c => new()
        {
            ["type"] = "Conv2d", ["in_channels"] = c.InChannels, ["out_channels"] = c.OutChannels, ["kernel_size"] = c.KernelSize,
            ["stride"] = c.Stride, ["padding"] = c.Padding, ["bias"] = c.Bias != null,
        },
        ConvTranspose2d c => new()
        {
            ["type"] = "ConvTranspose2d", ["in_channels"] = c.InChannels, ["out_channels"] = c.OutChannels, ["kernel_size"] = c.KernelSize,
            ["stride"] = c.Stride, ["padding"] = c.Padding, ["output_padding"] = c.OutputPadding, ["bias"] = c.Bias != null,
        },
        BatchNorm b => new()
        {
            ["type"] = b is BatchNorm2d ? "BatchNorm2d" : "BatchNorm1d", ["num_features"] = b.NumFeatures,
            ["eps"] = Shortest(b.Eps), ["momentum"] = Shortest(b.Momentum),
        },
        Unflatten u => new() { ["type"] = "Unflatten", ["dim"] = 1, ["unflattened_size"] = new JsonArray(u.Channels, u.Height, u.Width) },
        Flatten => new() { ["type"] = "Flatten" },
        Dropout d => new() { ["type"] = "Dropout", ["p"] = Shortest(d.P) },
        ReLU => new() { ["type"] = "ReLU" },
        LeakyReLU l => new() { ["type"] = "LeakyReLU", ["negative_slope"] = Shortest(l.NegativeSlope) },
        Sigmoid => new() { ["type"] = "Sigmoid" },
        Tanh => new() { ["type"] = "Tanh" },
        Softplus => new() { ["type"] = "Softplus" },
        _ => throw new NotSupportedException($"PyTorch export: layer {name} is a {layer.GetType().Name}, which has no PyTorch equivalent here."),
    };

    /// <summary>The float's shortest decimal form as a double (1e-05, not 9.99999974737875e-06), so Python reads the intended value.</summary>
    private static double Shortest(float value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
