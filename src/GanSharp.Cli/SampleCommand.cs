using System.CommandLine;
using System.Globalization;
using GanSharp.Figures;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Cli;

/// <summary>
/// `gansharp sample RUN [--n 64] [--out FILE] [--seed S] [--nearest --data DIR]`: samples from a checkpoint, no dataset
/// needed; with --nearest, the paper's Figure 2 layout (the training example nearest each row's last sample beside it).
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A run folder." };
        var count = new Option<int>("--n") { Description = "Number of samples.", DefaultValueFactory = _ => 64 };
        var output = new Option<string?>("--out") { Description = "Output file (default: RUN/sample.png, or sample.csv for vector data)." };
        var seed = new Option<ulong>("--seed") { Description = "Noise seed.", DefaultValueFactory = _ => 0UL };
        var nearest = new Option<bool>("--nearest") { Description = "Images: 8 rows of 7 samples, each row's last sample with its nearest training example beside it (needs the run's data)." };
        var data = new Option<string?>("--data") { Description = "Dataset folder for --nearest (default: the usual search)." };
        var command = new Command("sample", "Write samples from a run's newest checkpoint (a PNG grid for images, a CSV and a plot otherwise).")
        {
            run, count, output, seed, nearest, data,
        };
        command.SetAction(parse => Run(parse.GetValue(run)!, parse.GetValue(count), parse.GetValue(output), parse.GetValue(seed),
            parse.GetValue(nearest), parse.GetValue(data)));
        return command;
    }

    private static int Run(string directory, int count, string? output, ulong seed, bool nearest, string? dataDir)
    {
        if (count < 1) { Console.Error.WriteLine("error: --n must be at least 1."); return 2; }
        RunFolder folder;
        try
        {
            folder = RunFolder.Open(directory);
            if (nearest) return WithNearest(folder, directory, output, seed, dataDir);
        }
        catch (Exception e) when (e is ConfigException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        var shape = folder.SampleShape;
        if (shape.Length == 3)
        {
            string path = output ?? Path.Combine(directory, "sample.png");
            ImageFigures.Samples(folder.Generator, folder.Noise, shape, count, seed).Save(path);
            Console.WriteLine($"wrote {count} samples to {path}");
            return 0;
        }
        var samples = GeneratorSampling.Sample(folder.Generator, folder.Noise, count, new Rng(seed));
        int dim = samples.Length / count;
        string csv = output ?? Path.Combine(directory, "sample.csv");
        File.WriteAllLines(csv, Enumerable.Range(0, count).Select(i =>
            string.Join(",", samples.AsSpan(i * dim, dim).ToArray().Select(v => v.ToString("G7", CultureInfo.InvariantCulture)))));
        var plot = dim == 2
            ? new Plot { Title = $"{count} samples", XLabel = "x", YLabel = "y" }.Scatter(Every(samples, 2, 0), Every(samples, 2, 1), "G(z)", null, 3)
            : new Plot { Title = $"{count} samples", XLabel = "x", YLabel = "density" }.Histogram(Every(samples, dim, 0), 50, "G(z)", density: true);
        plot.SavePng(Path.ChangeExtension(csv, ".png"));
        Console.WriteLine($"wrote {count} samples to {csv} and a plot to {Path.ChangeExtension(csv, ".png")}");
        return 0;
    }

    private static int WithNearest(RunFolder folder, string directory, string? output, ulong seed, string? dataDir)
    {
        var train = folder.SampleShape.Length == 3 ? GanFactory.CreateData(folder.Config, dataDir).TrainSet : null;
        if (train == null) throw new ConfigException($"{directory}: --nearest needs a run trained on stored images.");
        string path = output ?? Path.Combine(directory, "samples_nearest.png");
        ImageFigures.SamplesWithNearestNeighbours(folder.Generator, folder.Noise, train, folder.SampleShape, 8, 7, seed).Save(path);
        Console.WriteLine($"wrote 8 rows of samples, each with the training example nearest its last sample, to {path}");
        return 0;
    }

    private static IEnumerable<double> Every(float[] values, int stride, int offset)
    {
        for (int i = offset; i < values.Length; i += stride) yield return values[i];
    }
}
