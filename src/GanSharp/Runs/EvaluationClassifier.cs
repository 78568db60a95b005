using System.Globalization;
using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.IO;

namespace GanSharp.Runs;

/// <summary>
/// The evaluation CNN of a run (`eval modes` on stacked digits, `eval fd`), trained once and kept in the
/// run folder: later evaluations of any checkpoint load it instead of training it again (about a minute).
/// The file records what it was trained on; a different training set, epoch count or seed trains anew.
/// </summary>
public static class EvaluationClassifier
{
    public const string FileName = "eval-classifier.safetensors";

    public static (ImageClassifier Classifier, bool Loaded) TrainOrLoad(string runDirectory, Dataset train, int epochs, ulong seed)
    {
        string path = Path.Combine(runDirectory, FileName);
        string key = Key(train, epochs, seed);
        var shape = train.SampleShape;
        if (File.Exists(path))
        {
            var file = SafeTensorsFile.Load(path);
            if (file.Metadata.TryGetValue("trained_on", out var saved) && saved == key)
            {
                var loaded = ImageClassifier.Untrained(shape[0], shape[1], shape[2], train.ClassCount);
                Checkpoint.CopyInto(file, "classifier", loaded.Network);
                return (loaded, true);
            }
        }
        var classifier = ImageClassifier.Train(train, epochs, seed);
        var writer = new SafeTensorsWriter().SetMetadata("trained_on", key);
        Checkpoint.AddNetwork(writer, "classifier", classifier.Network);
        writer.Save(path);
        return (classifier, false);
    }

    /// <summary>The training set (name, size, a checksum of its pixels and labels), epochs and seed.</summary>
    private static string Key(Dataset train, int epochs, ulong seed)
    {
        double pixels = 0;
        foreach (float v in train.Data) pixels += v;
        long labels = 0;
        for (int i = 0; i < train.Count; i++) labels += (long)(i % 7 + 1) * train.Labels![i];
        return string.Create(CultureInfo.InvariantCulture,
            $"{train.Name}; {train.Count} x [{string.Join(", ", train.SampleShape)}]; {train.ClassCount} classes; pixel sum {pixels:R}; label sum {labels}; {epochs} epochs; seed {seed}");
    }
}
