using GanSharp.Gan.Config;
using GanSharp.IO;
using GanSharp.Runs;
using GanSharp.Tests.Cli;

namespace GanSharp.Tests.Runs;

/// <summary>Checkpoint averaging: G's weights (and its moving average's) averaged over a range of kept checkpoints.</summary>
public class CheckpointAverageTests : RunFolderTest
{
    private string TrainToy()
    {
        var config = ConfigSource.Load("toy1d", steps: 50, seed: 3);
        config = config with
        {
            Pretrain = null,
            Train = config.Train with { GeneratorEma = 0.9f },
            Output = config.Output with { CheckpointEvery = 10, KeepCheckpoints = 10 },
        };
        new TrainingSession(config, RunDir).Run();
        return RunDir;
    }

    [Fact]
    public void Generator_tensors_are_the_mean_over_the_range_and_the_rest_comes_from_its_last_checkpoint()
    {
        string run = TrainToy();
        string output = Path.Combine(Temp.Root, "averaged");
        Assert.Equal([20, 30, 40], CheckpointAverage.Write(run, 20, 40, output));

        var averaged = Checkpoint.Latest(output)!.Value;
        Assert.Equal(Checkpoint.FileName(40), Path.GetFileName(averaged.Path));
        Assert.Contains("3 checkpoints, iterations 20 to 40", averaged.File.Metadata[CheckpointAverage.AveragedFrom]);
        var sources = new[] { 20, 30, 40 }.Select(s => Checkpoint.At(run, s)!.Value.File).ToArray();
        int checkedGenerator = 0;
        foreach (var name in averaged.File.Names)
        {
            var info = averaged.File.Info(name);
            if (name.StartsWith("generator.", StringComparison.Ordinal) || name.StartsWith("generator_ema.", StringComparison.Ordinal))
            {
                var got = averaged.File.GetFloat32(name);
                var all = sources.Select(f => f.GetFloat32(name)).ToArray();
                for (int i = 0; i < got.Length; i++) Assert.Equal(all.Average(a => (double)a[i]), got[i], 1e-6);
                Assert.False(all[2].AsSpan().SequenceEqual(got), $"'{name}' should differ from the last checkpoint's");
                checkedGenerator++;
            }
            else if (info.DType == SafeTensorDTypes.F32)
            {
                Assert.Equal(sources[2].GetFloat32(name), averaged.File.GetFloat32(name));
            }
        }
        Assert.True(checkedGenerator >= 12, $"{checkedGenerator} generator tensors"); // 6 of G, 6 of its average
        Assert.Equal(File.ReadAllText(Path.Combine(run, "config.json")), File.ReadAllText(Path.Combine(output, "config.json")));

        // For evaluation only: resuming it is refused, as are an empty range and a folder in use.
        var resume = Assert.Throws<ConfigException>(() => TrainingSession.Resume(output));
        Assert.Contains("averaged generator", resume.Message);
        var empty = Assert.Throws<ConfigException>(() => CheckpointAverage.Write(run, 41, 49, Path.Combine(Temp.Root, "none")));
        Assert.Contains("the run kept 5, iterations 10 to 50", empty.Message);
        var used = Assert.Throws<ConfigException>(() => CheckpointAverage.Write(run, 10, null, output));
        Assert.Contains("not empty", used.Message);
    }

    [Fact]
    public void The_cli_writes_a_run_folder_that_sample_reads()
    {
        string run = TrainToy();
        string output = Path.Combine(Temp.Root, "averaged");
        var (code, text) = CliProcess.Run("average", run, "--from", "30", "--out", output);
        Assert.True(code == 0, text);
        Assert.Contains("averaged 3 checkpoints (iterations 30 to 50)", text);
        var (sampled, sampleText) = CliProcess.Run("sample", output, "--n", "20");
        Assert.True(sampled == 0, sampleText);
        Assert.Equal(20, File.ReadAllLines(Path.Combine(output, "sample.csv")).Length);

        var (bad, badText) = CliProcess.Run("average", run, "--from", "60", "--out", Path.Combine(Temp.Root, "other"));
        Assert.Equal(2, bad);
        Assert.Contains("no checkpoint between iterations 60 and the newest", badText);
    }
}
