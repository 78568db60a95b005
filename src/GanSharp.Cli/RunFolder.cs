using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.IO;
using GanSharp.Nn;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Cli;

/// <summary>Opens a finished run folder: its config and the generator of its newest intact checkpoint.</summary>
internal sealed record RunFolder(string Directory, GanConfig Config, Module Generator, NoisePrior Noise, int[] SampleShape, string CheckpointPath)
{
    /// <param name="step">The iteration whose checkpoint to load; null for the newest intact one.</param>
    public static RunFolder Open(string directory, int? step = null)
    {
        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath)) throw new ConfigException($"{directory}: not a run folder (no config.json).");
        var config = ConfigSource.Parse(File.ReadAllText(configPath), configPath);
        var latest = step is { } s
            ? Checkpoint.At(directory, s) ?? throw new ConfigException(
                $"{directory}: no checkpoint of iteration {s}; kept: {string.Join(", ", Checkpoint.List(directory).Select(Path.GetFileName))}.")
            : Checkpoint.Latest(directory) ?? throw new InvalidDataException($"{directory}: no intact checkpoint.");
        var shape = ShapeOf(config.Data, latest.File);
        int dim = shape.Aggregate(1, (a, b) => a * b);
        int classes = latest.File.Contains("noise.classes") ? (int)latest.File.GetInt64("noise.classes")[0] : 0;
        var noise = GanFactory.CreateNoise(config, classes);
        var generator = GanFactory.BuildNetwork(config.Generator, noise.Dimension, dim, "generator", new Rng(0), new Rng(0), forRestore: true);
        Checkpoint.RestoreGenerator(generator, latest.File);
        return new RunFolder(directory, config, generator, noise, shape, latest.Path);
    }

    /// <summary>The example shape, recorded in the checkpoint so sampling needs no dataset.</summary>
    private static int[] ShapeOf(DataConfig data, SafeTensorsFile file) =>
        file.Contains("data.sample_shape") ? file.GetInt64("data.sample_shape").Select(v => (int)v).ToArray()
        : data switch
        {
            Gaussian1DDataConfig => [1],
            MixtureDataConfig => [2],
            _ => throw new InvalidDataException($"{file.Source}: the checkpoint does not record the example shape."),
        };
}
