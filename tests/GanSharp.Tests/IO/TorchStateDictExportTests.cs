using System.Text.Json.Nodes;
using GanSharp.IO;
using GanSharp.Nn;
using GanSharp.Tensors;

namespace GanSharp.Tests.IO;

public class TorchStateDictExportTests
{
    private static Sequential Generator()
    {
        var rng = new Rng(7);
        var network = new Sequential(
            new Linear(4, 18, rng: rng), new Unflatten(2, 3, 3), new BatchNorm2d(2), new ReLU(),
            new ConvTranspose2d(2, 3, 4, stride: 2, padding: 1, outputPadding: 1, rng: rng), new LeakyReLU(0.2f),
            new Conv2d(3, 1, 3, padding: 1, bias: false, rng: rng), new Flatten(),
            new Dropout(0.3f), new Maxout(49, 5, 2, rng), new BatchNorm1d(5, eps: 1e-3f), new Softplus(), new Tanh(), new Sigmoid());
        foreach (var norm in network.Layers.OfType<BatchNorm>()) rng.FillUniform(norm.RunningVar.Span, 0.5f, 2f);
        return network;
    }

    [Fact]
    public void State_dict_names_shapes_and_values_match_pytorch()
    {
        var network = Generator();
        var file = SafeTensorsFile.Parse(TorchStateDictExport.FromNetwork(network).ToArray());

        // The keys of PyTorch's state_dict for the same nn.Sequential, num_batches_tracked included (strict loading needs it).
        string[] expected =
        [
            "0.weight", "0.bias",
            "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked",
            "4.weight", "4.bias",
            "6.weight",
            "9.weight", "9.bias",
            "10.weight", "10.bias", "10.running_mean", "10.running_var", "10.num_batches_tracked",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), file.Names.Order(StringComparer.Ordinal));

        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape.ToArray());
        Assert.Equal([18L, 4], shapes["0.weight"]);     // Linear: [out, in]
        Assert.Equal([2L, 3, 4, 4], shapes["4.weight"]); // ConvTranspose2d: [in, out, k, k]
        Assert.Equal([1L, 3, 3, 3], shapes["6.weight"]); // Conv2d: [out, in, k, k]
        Assert.Equal([10L, 49], shapes["9.weight"]);    // Maxout: [units * pieces, in]
        Assert.Empty(shapes["2.num_batches_tracked"]);  // a 0-d tensor, as PyTorch's
        Assert.Equal("I64", file.Info("2.num_batches_tracked").DType);

        foreach (var (name, p) in network.NamedParameters()) Assert.Equal(p.ToArray(), file.GetFloat32(name));
        foreach (var (name, b) in network.NamedBuffers()) Assert.Equal(b.ToArray(), file.GetFloat32(name));
    }

    [Fact]
    public void Metadata_lists_the_modules_with_their_constructor_arguments()
    {
        var file = SafeTensorsFile.Parse(TorchStateDictExport.FromNetwork(Generator()).ToArray());

        Assert.Equal(TorchStateDictExport.Format, file.Metadata["format"]);
        var modules = JsonNode.Parse(file.Metadata["modules"])!.AsArray();
        Assert.Equal(
            ["Linear", "Unflatten", "BatchNorm2d", "ReLU", "ConvTranspose2d", "LeakyReLU", "Conv2d", "Flatten",
             "Dropout", "Maxout", "BatchNorm1d", "Softplus", "Tanh", "Sigmoid"],
            modules.Select(m => (string)m!["type"]!));
        Assert.Equal("""{"type":"Linear","in_features":4,"out_features":18,"bias":true}""", modules[0]!.ToJsonString());
        Assert.Equal("""{"type":"Unflatten","dim":1,"unflattened_size":[2,3,3]}""", modules[1]!.ToJsonString());
        Assert.Equal("""{"type":"ConvTranspose2d","in_channels":2,"out_channels":3,"kernel_size":4,"stride":2,"padding":1,"output_padding":1,"bias":true}""",
            modules[4]!.ToJsonString());
        Assert.Equal("""{"type":"LeakyReLU","negative_slope":0.2}""", modules[5]!.ToJsonString());
        Assert.Equal("""{"type":"Conv2d","in_channels":3,"out_channels":1,"kernel_size":3,"stride":1,"padding":1,"bias":false}""", modules[6]!.ToJsonString());
        Assert.Equal("""{"type":"Maxout","in_features":49,"units":5,"pieces":2}""", modules[9]!.ToJsonString());
        Assert.Equal("""{"type":"BatchNorm1d","num_features":5,"eps":0.001,"momentum":0.1}""", modules[10]!.ToJsonString());
    }

    private sealed class Doubling : Module
    {
        public override Tensor Forward(Tensor input) => input * 2f;
    }

    [Fact]
    public void A_layer_without_equivalent_is_named_in_the_error()
    {
        var e = Assert.Throws<NotSupportedException>(() => TorchStateDictExport.FromNetwork(new Sequential(new Doubling())));
        Assert.Contains("layer 0 is a Doubling", e.Message);
    }
}
