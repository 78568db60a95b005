using System.Text.Json;
using GanSharp.Tests.Evaluation;
using GanSharp.Tests.Runs;

namespace GanSharp.Tests.Cli;

/// <summary>`gansharp eval modes` on a Stacked MNIST run: classifier trained on the run's digits, modes counted over 1,000.</summary>
public class EvalModesCommandTests : RunFolderTest
{
    [Fact]
    public void Stacked_run_gets_its_modes_counted_by_a_classifier_trained_on_its_digits()
    {
        string data = GlyphDigits.WriteMnist10k(Path.Combine(Temp.Root, "data"), 600, seed: 4);   // stands in for mnist10k

        var (trained, trainOutput) = CliProcess.Run("train", "dcgan-stacked-mnist", "--set", "data.type=mnist10k", "--set", "data.validation=100",
            "--set", "data.stack_examples=64", "--set", "train.batch_size=8", "--steps", "2", "--data", data, "--out", RunDir, "--threads", "1");
        Assert.True(trained == 0, trainOutput);

        var (code, output) = CliProcess.Run("eval", "modes", RunDir, "--samples", "300", "--data", data);
        Assert.True(code == 0, output);
        Assert.Contains("held-out digits", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunDir, "modes.json")));
        var root = json.RootElement;
        Assert.Equal(1000, root.GetProperty("modes").GetInt32());
        Assert.Equal(300, root.GetProperty("samples").GetInt32());
        Assert.Equal(100, root.GetProperty("classifier_test_digits").GetInt32());
        Assert.True(root.GetProperty("classifier_accuracy").GetDouble() > 0.9, output);
        var perMode = root.GetProperty("samples_per_mode").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(1000, perMode.Length);
        Assert.Equal(300, perMode.Sum());
        Assert.Equal(perMode.Count(n => n > 0), root.GetProperty("modes_covered").GetInt32());
        // 300 stacks of real digits meet about 1000 (1 - e^-0.3) = 259 triples; G two steps into training far fewer.
        int real = root.GetProperty("real_stacks_modes_covered").GetInt32();
        Assert.InRange(real, 200, 300);
        Assert.True(real > root.GetProperty("modes_covered").GetInt32(), output);

        // The classifier is kept in the run folder: a second evaluation loads it and counts the same modes.
        var (again, againOutput) = CliProcess.Run("eval", "modes", RunDir, "--samples", "300", "--data", data);
        Assert.True(again == 0, againOutput);
        Assert.Contains("kept in the run folder", againOutput);
        using var second = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunDir, "modes.json")));
        Assert.Equal(root.GetProperty("modes_covered").GetInt32(), second.RootElement.GetProperty("modes_covered").GetInt32());
        Assert.Equal(root.GetProperty("classifier_accuracy").GetDouble(), second.RootElement.GetProperty("classifier_accuracy").GetDouble());
    }
}
