using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using GanSharp.Data;
using GanSharp.Gan.Config;
using GanSharp.IO;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Cli;

/// <summary>
/// `gansharp export RUN --format onnx|safetensors [--out FILE] [--check-inputs DIR]`: writes the
/// generator of the run's newest checkpoint (the averaged one when kept) for other frameworks.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A run folder." };
        var format = new Option<string>("--format") { Description = "onnx: the generator as an ONNX graph; safetensors: its weights as a PyTorch state_dict.", Required = true };
        format.AcceptOnlyFromAmong("onnx", "safetensors");
        var output = new Option<string?>("--out") { Description = "Output file (default: RUN/generator.onnx or RUN/generator.safetensors)." };
        var checkInputs = new Option<string?>("--check-inputs") { Description = "Also write a fixed noise batch z.npy and the generator's output x.npy to this folder (for scripts/check_onnx.py and scripts/load_torch.py)." };
        var count = new Option<int>("--n") { Description = "Rows of the --check-inputs batch.", DefaultValueFactory = _ => 16 };
        var seed = new Option<ulong>("--seed") { Description = "Noise seed of the --check-inputs batch.", DefaultValueFactory = _ => 0UL };
        var command = new Command("export", "Write a run's generator as ONNX, or its weights as safetensors named as PyTorch's state_dict.")
        {
            run, format, output, checkInputs, count, seed,
        };
        command.SetAction(parse => Run(parse.GetValue(run)!, parse.GetValue(format)!, parse.GetValue(output),
            parse.GetValue(checkInputs), parse.GetValue(count), parse.GetValue(seed)));
        return command;
    }

    private static int Run(string directory, string format, string? output, string? checkInputs, int count, ulong seed)
    {
        if (count < 1) { Console.Error.WriteLine("error: --n must be at least 1."); return 2; }
        try
        {
            var folder = RunFolder.Open(directory);
            int inputs = folder.Noise.Dimension;
            int outputs = folder.SampleShape.Aggregate(1, (a, b) => a * b);
            string path = output ?? Path.Combine(directory, "generator." + format);
            if (format == "onnx")
            {
                var graph = OnnxExport.FromNetwork(folder.Generator, inputs, outputs);
                OnnxWriter.Save(graph, "gansharp", typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "", path);
            }
            else
            {
                TorchStateDictExport.FromNetwork(folder.Generator)
                    .SetMetadata("input_features", inputs.ToString(CultureInfo.InvariantCulture))
                    .SetMetadata("sample_shape", new JsonArray([.. folder.SampleShape.Select(d => JsonValue.Create(d))]).ToJsonString())
                    .SetMetadata("noise", new JsonObject
                    {
                        ["kind"] = folder.Noise.Kind.ToString().ToLowerInvariant(),
                        ["latent"] = folder.Noise.LatentDimension,
                        ["scale"] = folder.Noise.Scale,
                        ["classes"] = folder.Noise.Classes,
                    }.ToJsonString())
                    .SetMetadata("checkpoint", Path.GetFileName(folder.CheckpointPath))
                    .Save(path);
            }
            Console.WriteLine($"wrote the generator of {folder.CheckpointPath} to {path}");
            if (checkInputs != null) WriteCheckInputs(folder, checkInputs, count, seed);
            return 0;
        }
        catch (Exception e) when (e is ConfigException or IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>A fixed z and GanSharp's G(z) (flat rows, as the exported graph outputs them), to compare other runtimes against.</summary>
    private static void WriteCheckInputs(RunFolder folder, string directory, int count, ulong seed)
    {
        Directory.CreateDirectory(directory);
        var z = folder.Noise.Sample(count, new Rng(seed));
        var x = GeneratorSampling.Forward(folder.Generator, z);
        string zPath = Path.Combine(directory, "z.npy"), xPath = Path.Combine(directory, "x.npy");
        NpyWriter.Write(zPath, z.Span, [count, folder.Noise.Dimension]);
        NpyWriter.Write(xPath, x, [count, x.Length / count]);
        Console.WriteLine($"wrote {count} noise rows to {zPath} and the generator's output to {xPath}");
    }
}
