using System.Globalization;
using GanSharp.Gan.Config;
using GanSharp.IO;

namespace GanSharp.Runs;

/// <summary>
/// Uniform averaging of a run's kept checkpoints (checkpoint averaging, SWA's average without the
/// schedule): the generator's weights, and those of its moving average when the run keeps one, are
/// averaged over every checkpoint of iterations [from, to]; everything else comes from the last of
/// them. The result is a run folder of one checkpoint that sample, eval and export read like any other.
/// </summary>
/// <remarks>
/// Batch-norm running statistics are averaged like the weights, which only approximates the
/// statistics of the averaged network (SWA recomputes them on data). The checkpoint is marked, and
/// <c>train --resume</c> refuses it: it is meant for evaluation, not for continuing training.
/// </remarks>
public static class CheckpointAverage
{
    /// <summary>Metadata key naming the averaged range; its presence marks an averaged checkpoint.</summary>
    public const string AveragedFrom = "averaged_from";

    private static readonly string[] AveragedPrefixes = ["generator.", "generator_ema."];

    /// <summary>Averages the checkpoints of <paramref name="runDirectory"/> from <paramref name="fromStep"/> to <paramref name="toStep"/> (inclusive; null: the newest) into <paramref name="outDirectory"/>.</summary>
    /// <returns>The steps averaged.</returns>
    public static int[] Write(string runDirectory, int fromStep, int? toStep, string outDirectory)
    {
        string config = Path.Combine(runDirectory, "config.json");
        if (!File.Exists(config)) throw new ConfigException($"{runDirectory}: not a run folder (no config.json).");
        if (Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any())
            throw new ConfigException($"{outDirectory} exists and is not empty; give a new folder for the averaged generator.");
        var kept = Checkpoint.List(runDirectory).Select(path => (Path: path, Step: Checkpoint.StepOf(path))).ToArray();
        var chosen = kept.Where(c => c.Step >= fromStep && (toStep is null || c.Step <= toStep)).ToArray();
        if (chosen.Length == 0)
        {
            string upTo = toStep?.ToString(CultureInfo.InvariantCulture) ?? "the newest";
            string keptRange = kept.Length == 0 ? "the run kept none." : $"the run kept {kept.Length}, iterations {kept[0].Step} to {kept[^1].Step}.";
            throw new ConfigException($"{runDirectory}: no checkpoint between iterations {fromStep} and {upTo}; {keptRange}");
        }

        var sums = new Dictionary<string, double[]>();
        SafeTensorsFile last = null!;
        foreach (var (path, step) in chosen)
        {
            last = Checkpoint.At(runDirectory, step)!.Value.File; // validated like any checkpoint loaded for sampling
            foreach (var info in last.Tensors.Where(IsAveraged))
            {
                var values = last.GetFloat32(info.Name);
                if (!sums.TryGetValue(info.Name, out var sum)) sums[info.Name] = sum = new double[values.Length];
                else if (sum.Length != values.Length) throw new InvalidDataException($"{path}: tensor '{info.Name}' changed size between checkpoints.");
                for (int i = 0; i < values.Length; i++) sum[i] += values[i];
            }
        }

        var writer = new SafeTensorsWriter();
        foreach (var (key, value) in last.Metadata) writer.SetMetadata(key, value);
        writer.SetMetadata(AveragedFrom, string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(runDirectory)}: {chosen.Length} checkpoints, iterations {chosen[0].Step} to {chosen[^1].Step}"));
        foreach (var info in last.Tensors)
        {
            var shape = info.Shape.Select(d => checked((int)d)).ToArray();
            if (IsAveraged(info))
                writer.AddFloat32(info.Name, sums[info.Name].Select(s => (float)(s / chosen.Length)).ToArray(), shape);
            else
                CopyTensor(writer, last, info, shape);
        }
        Directory.CreateDirectory(Path.Combine(outDirectory, "checkpoints"));
        File.Copy(config, Path.Combine(outDirectory, "config.json"));
        writer.Save(Path.Combine(outDirectory, "checkpoints", Checkpoint.FileName(chosen[^1].Step)));
        return chosen.Select(c => c.Step).ToArray();
    }

    /// <summary>The generators' float tensors (weights and batch-norm statistics); anything else is copied.</summary>
    private static bool IsAveraged(SafeTensorInfo info) =>
        info.DType == SafeTensorDTypes.F32 && AveragedPrefixes.Any(p => info.Name.StartsWith(p, StringComparison.Ordinal));

    private static void CopyTensor(SafeTensorsWriter writer, SafeTensorsFile file, SafeTensorInfo info, int[] shape)
    {
        switch (info.DType)
        {
            case SafeTensorDTypes.F32: writer.AddFloat32(info.Name, file.GetFloat32(info.Name), shape); break;
            case SafeTensorDTypes.F64: writer.AddFloat64(info.Name, file.GetFloat64(info.Name), shape); break;
            case SafeTensorDTypes.I64: writer.AddInt64(info.Name, file.GetInt64(info.Name), shape); break;
            case SafeTensorDTypes.U64: writer.AddUInt64(info.Name, file.GetUInt64(info.Name), shape); break;
            case SafeTensorDTypes.U8: writer.AddUInt8(info.Name, file.GetUInt8(info.Name), shape); break;
            default: throw new InvalidDataException($"{file.Source}: tensor '{info.Name}' has dtype {info.DType}, which checkpoints do not use.");
        }
    }
}
