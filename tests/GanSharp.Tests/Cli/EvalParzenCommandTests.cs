using System.Text.Json;
using GanSharp.Evaluation;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tests.Runs;

namespace GanSharp.Tests.Cli;

/// <summary>`gansharp eval parzen --centres training-set` scores the run's own training split, as the protocol would score a model that memorised it.</summary>
public class EvalParzenCommandTests : RunFolderTest
{
    [Fact]
    public void Training_set_centres_give_the_protocol_applied_to_the_training_split()
    {
        TrainTinyVectorRun(3, "--set", "output.checkpoint_every=1");
        string run = RunDir;

        var (code, output) = CliProcess.Run("eval", "parzen", run, "--centres", "training-set", "--samples", "50");
        Assert.True(code == 0, output);
        Assert.Contains("50 training examples", output);

        var bundle = GanFactory.CreateData(ConfigSource.Load(Path.Combine(run, "config.json")));
        var expected = ParzenWindow.Evaluate(bundle.TrainSet!.Data.AsSpan(0, 50 * 16), bundle.Validation!.Data, bundle.Test!.Data, 16);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "parzen-training-set.json")));
        Assert.Equal(expected.TestMean, json.RootElement.GetProperty("test_mean").GetDouble(), 9);
        Assert.Equal(expected.Sigma, json.RootElement.GetProperty("sigma").GetDouble(), 12);
        Assert.Equal("training-set", json.RootElement.GetProperty("centres").GetString());
        Assert.False(File.Exists(Path.Combine(run, "parzen.json"))); // the generator's score is not overwritten

        var (bad, badOutput) = CliProcess.Run("eval", "parzen", run, "--centres", "nearest");
        Assert.NotEqual(0, bad);
        Assert.Contains("nearest", badOutput);

        // --checkpoint picks an earlier iteration; one not kept is named, with those that are.
        var (first, firstOutput) = CliProcess.Run("eval", "parzen", run, "--checkpoint", "1", "--samples", "50");
        Assert.True(first == 0, firstOutput);
        using (var earlier = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "parzen.json"))))
            Assert.Equal("step-00000001.safetensors", earlier.RootElement.GetProperty("checkpoint").GetString());
        var (missing, missingOutput) = CliProcess.Run("eval", "parzen", run, "--checkpoint", "7");
        Assert.Equal(2, missing);
        Assert.Contains("no checkpoint of iteration 7; kept: step-00000001.safetensors, step-00000002.safetensors", missingOutput);
    }

    [Fact]
    public void Threads_below_one_are_refused_before_anything_runs()
    {
        var (code, output) = CliProcess.Run("train", "toy1d", "--steps", "1", "--threads", "0", "--out", RunDir);
        Assert.NotEqual(0, code);
        Assert.Contains("--threads must be at least 1", output);
        Assert.False(Directory.Exists(RunDir));
    }
}
