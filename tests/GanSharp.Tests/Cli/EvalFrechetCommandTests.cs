using System.Text.Json;
using GanSharp.Evaluation;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tests.Evaluation;
using GanSharp.Tests.Runs;

namespace GanSharp.Tests.Cli;

/// <summary>`gansharp eval fd`: Fréchet distance in the features of a classifier trained on the run's own training split.</summary>
public class EvalFrechetCommandTests : RunFolderTest
{
    [Fact]
    public void Distance_of_G_and_of_the_training_images_to_the_held_out_images()
    {
        string data = GlyphDigits.WriteMnist10k(Path.Combine(Temp.Root, "data"), 500, seed: 6);
        var (trained, trainOutput) = CliProcess.Run("train", "dcgan-mnist", "--set", "data.type=mnist10k", "--set", "data.validation=100",
            "--set", "train.batch_size=8", "--steps", "2", "--data", data, "--out", RunDir, "--threads", "1");
        Assert.True(trained == 0, trainOutput);

        var (code, output) = CliProcess.Run("eval", "fd", RunDir, "--samples", "300", "--data", data, "--threads", "1");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunDir, "fd.json")));
        var root = json.RootElement;
        Assert.Equal(300, root.GetProperty("samples").GetInt32());
        Assert.Equal(100, root.GetProperty("held_out_images").GetInt32());
        Assert.Equal(300, root.GetProperty("training_images").GetInt32());
        Assert.True(root.GetProperty("classifier_accuracy").GetDouble() > 0.9, output);

        // The reference row recomputed here: the same seeded classifier on the run's own split.
        var config = ConfigSource.Load(Path.Combine(RunDir, "config.json"));
        var (train, validation, _) = GanFactory.LoadSplits((StoredDataConfig)config.Data, data);
        var classifier = ImageClassifier.Train(train, 10, seed: 7);
        double reference = FrechetDistance.Compute(classifier.Features(train.Data.AsSpan(0, 300 * 784)), classifier.Features(validation!.Data), ImageClassifier.FeatureDimension);
        Assert.Equal(reference, root.GetProperty("training_images_fd").GetDouble(), 6);
        // A G two steps into training is far from the digits; real training digits are close.
        Assert.True(root.GetProperty("fd").GetDouble() > 2 * reference, output);

        // The same image run: the paper's Figure 2 layout from its checkpoint, given the data.
        var (sampled, sampleOutput) = CliProcess.Run("sample", RunDir, "--nearest", "--data", data, "--threads", "1");
        Assert.True(sampled == 0, sampleOutput);
        var figure = GanSharp.Figures.PngReader.Read(Path.Combine(RunDir, "samples_nearest.png"));
        Assert.True(figure.Width >= 8 * 28 && figure.Height >= 8 * 28, $"{figure.Width}x{figure.Height}: 8 rows of 7 samples and the framed nearest column");
    }
}
