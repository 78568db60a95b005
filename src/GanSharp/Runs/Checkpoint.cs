using System.Globalization;
using GanSharp.Gan;
using GanSharp.IO;
using GanSharp.Nn;
using GanSharp.Optim;

namespace GanSharp.Runs;

/// <summary>
/// A training state in one safetensors file: both networks (named as PyTorch's state_dict of the
/// equivalent nn.Sequential, prefixed "generator." / "discriminator."), optimizer buffers and
/// scalars, the training RNG, the step, and the config text as metadata. Enough to resume bit for bit.
/// </summary>
public static class Checkpoint
{
    public const string Format = "gansharp-checkpoint-1";
    private const string Folder = "checkpoints";
    private const string FilePattern = "step-*.safetensors";

    public static string FileName(int step) => $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}.safetensors";

    /// <summary>The iteration a checkpoint's <see cref="FileName"/> names.</summary>
    public static int StepOf(string path) =>
        int.Parse(Path.GetFileNameWithoutExtension(path).AsSpan("step-".Length), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Writes the checkpoint atomically and keeps only the newest <paramref name="keep"/> in the folder.</summary>
    public static string Save(GanTrainer trainer, int[] sampleShape, string configJson, string runDirectory, int keep)
    {
        var dir = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(dir);
        var writer = new SafeTensorsWriter()
            .SetMetadata("format", Format)
            .SetMetadata("config", configJson)
            .AddInt64("trainer.step", [trainer.Step])
            .AddUInt64("rng.train", trainer.Rng.GetState(), 5);
        AddPlayer(writer, "generator", trainer.Generator);
        AddPlayer(writer, "discriminator", trainer.Discriminator);
        if (trainer.GeneratorAverage is { } ema)
            AddNetwork(writer, "generator_ema", ema.Average);
        writer.AddInt64("noise.classes", [trainer.Noise.Classes]);
        writer.AddInt64("data.sample_shape", sampleShape.Select(v => (long)v).ToArray(), sampleShape.Length);
        if (trainer.Data is Data.IStatefulDataSource stateful)
            foreach (var (name, values) in stateful.GetState()) writer.AddInt64("data." + name, values, values.Length);
        var path = Path.Combine(dir, FileName(trainer.Step));
        writer.Save(path);
        foreach (var old in List(runDirectory).SkipLast(keep)) File.Delete(old);
        // A process killed mid-write leaves its temporary file behind; it was never a checkpoint.
        Figures.AtomicFile.DeleteAbandoned(dir, FilePattern);
        return path;
    }

    private static void AddPlayer(SafeTensorsWriter writer, string prefix, Player player)
    {
        AddNetwork(writer, prefix, player.Network);
        var opt = player.Optimizer;
        foreach (var (name, buffer) in opt.StateBuffers()) writer.Add($"optim.{prefix}.{name}", buffer);
        writer.AddFloat64($"optim.{prefix}.lr", [opt.LearningRate]);
        writer.AddInt64($"optim.{prefix}.step", [opt.StepCount]);
        if (opt is Sgd sgd) writer.AddFloat64($"optim.{prefix}.momentum", [sgd.Momentum]);
    }

    /// <summary>Parameters and buffers (batch-norm running statistics), named as in PyTorch's state_dict.</summary>
    internal static void AddNetwork(SafeTensorsWriter writer, string prefix, Module network)
    {
        foreach (var (name, p) in network.NamedParameters()) writer.Add($"{prefix}.{name}", p);
        foreach (var (name, b) in network.NamedBuffers()) writer.Add($"{prefix}.{name}", b);
    }

    /// <summary>Checkpoint files of a run, oldest first (by step, from the file name).</summary>
    public static string[] List(string runDirectory)
    {
        var dir = Path.Combine(runDirectory, Folder);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, FilePattern).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The newest checkpoint that loads and validates; older ones are tried when a newer one is damaged.</summary>
    public static (string Path, SafeTensorsFile File)? Latest(string runDirectory)
    {
        foreach (var path in List(runDirectory).Reverse())
        {
            try
            {
                var file = SafeTensorsFile.Load(path);
                if (file.Metadata.TryGetValue("format", out var f) && f == Format) return (path, file);
            }
            catch (SafeTensorsFormatException) { /* a damaged file: fall back to the one before */ }
        }
        return null;
    }

    /// <summary>The checkpoint of iteration <paramref name="step"/>, or null when the run did not keep it.</summary>
    public static (string Path, SafeTensorsFile File)? At(string runDirectory, int step)
    {
        string path = Path.Combine(runDirectory, Folder, FileName(step));
        if (!File.Exists(path)) return null;
        var file = SafeTensorsFile.Load(path);
        if (!file.Metadata.TryGetValue("format", out var f) || f != Format)
            throw new InvalidDataException($"{path}: not a GanSharp checkpoint (format '{f}', expected '{Format}').");
        return (path, file);
    }

    /// <summary>Restores a trainer built from the same config to the saved state.</summary>
    public static void Restore(GanTrainer trainer, SafeTensorsFile file)
    {
        RestorePlayer(file, "generator", trainer.Generator);
        RestorePlayer(file, "discriminator", trainer.Discriminator);
        if (trainer.GeneratorAverage is { } ema) CopyInto(file, "generator_ema", ema.Average);
        trainer.Rng.SetState(file.GetUInt64("rng.train"));
        trainer.RestoreStep(checked((int)file.GetInt64("trainer.step")[0]));
        if (trainer.Data is Data.IStatefulDataSource stateful)
            stateful.SetState(file.Names.Where(n => n.StartsWith("data.", StringComparison.Ordinal) && n != "data.sample_shape")
                .ToDictionary(n => n["data.".Length..], n => file.GetInt64(n)));
    }

    /// <summary>Loads the generator to sample from (the averaged one when the run kept it), without dataset or optimizer.</summary>
    public static void RestoreGenerator(Module generator, SafeTensorsFile file) =>
        CopyInto(file, file.Names.Any(n => n.StartsWith("generator_ema.", StringComparison.Ordinal)) ? "generator_ema" : "generator", generator);

    private static void RestorePlayer(SafeTensorsFile file, string prefix, Player player)
    {
        CopyInto(file, prefix, player.Network);
        var opt = player.Optimizer;
        foreach (var (name, buffer) in opt.StateBuffers()) Copy(file, $"optim.{prefix}.{name}", buffer);
        opt.LearningRate = (float)file.GetFloat64($"optim.{prefix}.lr")[0];
        opt.RestoreStepCount(file.GetInt64($"optim.{prefix}.step")[0]);
        if (opt is Sgd sgd) sgd.Momentum = (float)file.GetFloat64($"optim.{prefix}.momentum")[0];
    }

    /// <summary>Loads what <see cref="AddNetwork"/> wrote under <paramref name="prefix"/> into a network of the same layout.</summary>
    internal static void CopyInto(SafeTensorsFile file, string prefix, Module network)
    {
        foreach (var (name, p) in network.NamedParameters()) Copy(file, $"{prefix}.{name}", p);
        foreach (var (name, b) in network.NamedBuffers()) Copy(file, $"{prefix}.{name}", b);
    }

    private static void Copy(SafeTensorsFile file, string name, Tensors.Tensor target)
    {
        if (!file.Contains(name))
            throw new InvalidDataException($"{file.Source}: checkpoint has no tensor '{name}'; was it written for a different config?");
        var info = file.Info(name);
        if (info.ElementCount != target.Length || info.Rank != target.Rank || Enumerable.Range(0, info.Rank).Any(i => info.Shape[i] != target.Shape[i]))
            throw new InvalidDataException($"{file.Source}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}], expected {target.Shape}.");
        file.GetFloat32(name).CopyTo(target.Span);
    }
}
