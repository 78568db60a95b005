using GanSharp.Figures;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tests.Data;
using GanSharp.Tests.IO;

namespace GanSharp.Tests.Runs;

public class TensorBoardRunTests
{
    private static readonly string[] ScalarTags = StepMetrics.CsvHeader.Split(',')[1..];

    /// <summary>Every metrics.csv row appears in the folder's event files under the column names, and nothing else.</summary>
    private static void AssertScalarsEqualMetricsCsv(string runDirectory)
    {
        var rows = MetricsLog.Read(Path.Combine(runDirectory, "metrics.csv"));
        var scalars = TfEventsTestReader.MergedScalars(runDirectory);
        Assert.Equal(rows.Select(r => (long)r.Step), scalars.Keys);
        foreach (var row in rows)
        {
            var logged = scalars[row.Step];
            Assert.Equal(ScalarTags.Order(), logged.Keys.Order());
            double[] expected = [row.DiscriminatorLoss, row.GeneratorLoss, row.MeanDReal, row.MeanDFake, row.Seconds];
            for (int i = 0; i < ScalarTags.Length; i++)
                // metrics.csv keeps 7 significant digits
                Assert.True(Math.Abs(logged[ScalarTags[i]] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-12,
                    $"step {row.Step} {ScalarTags[i]}: event {logged[ScalarTags[i]]}, csv {expected[i]}");
        }
    }

    [Fact]
    public void A_toy_run_writes_its_metrics_rows_as_scalars()
    {
        using var dir = new TempFolder();
        var config = ConfigSource.Load("toy1d", steps: 45);
        new TrainingSession(config with { Pretrain = null }, dir.Root).Run();

        var file = Assert.Single(TfEventsTestReader.Files(dir.Root));
        var events = TfEventsTestReader.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([10L, 20, 30, 40, 45], events.Skip(1).Select(e => e.Step)); // the last step is forced, as in metrics.csv
        Assert.All(events, e => Assert.InRange(e.WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        AssertScalarsEqualMetricsCsv(dir.Root);
    }

    [Fact]
    public void A_resumed_run_adds_a_file_and_hides_what_the_crashed_session_logged_past_its_checkpoint()
    {
        using var dir = new TempFolder();
        var config = ConfigSource.Load("toy1d", steps: 50);
        config = config with { Pretrain = null, Output = config.Output with { CheckpointEvery = 20 } };
        new TrainingSession(config, dir.Root).Run();
        File.Delete(Checkpoint.List(dir.Root)[^1]); // as if killed after logging step 50 but before its checkpoint
        var first = Assert.Single(TfEventsTestReader.Files(dir.Root));
        byte[] firstBytes = File.ReadAllBytes(first);

        var resumed = TrainingSession.Resume(dir.Root, steps: 70);
        Assert.Equal(40, resumed.Trainer.Step);
        resumed.Run();

        var files = TfEventsTestReader.Files(dir.Root);
        Assert.Equal(2, files.Count);
        Assert.Equal(first, files[0]);
        Assert.Equal(firstBytes, File.ReadAllBytes(first)); // appended to a new file, never rewritten
        var second = TfEventsTestReader.Read(files[1]);
        Assert.Equal((41L, 1), (second[1].Step, second[1].SessionStatus!.Value));
        Assert.Equal([50L, 60, 70], second.Skip(2).Select(e => e.Step));
        AssertScalarsEqualMetricsCsv(dir.Root);
    }

    [Fact]
    public void An_image_run_logs_each_progress_grid_as_the_png_it_saves()
    {
        using var data = new TempFolder();
        var rng = new Random(1);
        for (int i = 0; i < 12; i++)
        {
            var pixels = new byte[6 * 6];
            rng.NextBytes(pixels);
            PngWriter.Write(data.Path($"tiny/{i:D2}.png"), 6, 6, 1, pixels);
        }
        using var run = new TempFolder();
        string json = $$"""
            {
              "name": "tiny-images",
              "data": { "type": "image-folder", "path": {{System.Text.Json.JsonSerializer.Serialize(data.Path("tiny"))}}, "grayscale": true, "validation": 0 },
              "noise": { "type": "uniform", "dim": 4 },
              "generator": { "layers": [ { "type": "linear", "out": 36 }, { "type": "sigmoid" } ] },
              "discriminator": { "layers": [ { "type": "linear", "out": 1 } ] },
              "objective": "non-saturating",
              "train": { "k": 1, "batch_size": 4, "steps": 10, "seed": 0 },
              "optimizers": { "generator": { "type": "sgd", "lr": 0.01 }, "discriminator": { "type": "sgd", "lr": 0.01 } },
              "output": { "log_every": 5, "sample_every": 5 }
            }
            """;
        new TrainingSession(ConfigSource.Parse(json, "test"), run.Root).Run();

        var images = TfEventsTestReader.Read(Assert.Single(TfEventsTestReader.Files(run.Root)))
            .SelectMany(e => e.Values.Where(v => v.Image != null).Select(v => (e.Step, v))).ToList();
        Assert.Equal([5L, 10L], images.Select(i => i.Step));
        foreach (var (step, value) in images)
        {
            Assert.Equal(TensorBoardLog.SamplesTag, value.Tag);
            var saved = PngReader.Decode(File.ReadAllBytes(Path.Combine(run.Root, "samples", $"step-{step:D8}.png")));
            var logged = PngReader.Decode(value.Image!.Encoded);
            Assert.Equal((saved.Height, saved.Width, saved.Channels), (value.Image.Height, value.Image.Width, value.Image.Colorspace));
            Assert.Equal(saved.Pixels, logged.Pixels);
        }
        AssertScalarsEqualMetricsCsv(run.Root);
    }

    [Fact]
    public void The_output_switch_turns_event_files_off()
    {
        using var dir = new TempFolder();
        var config = ConfigSource.Load("toy1d", steps: 10, settings: ["output.tensorboard=false"]);
        Assert.False(config.Output.TensorBoard);
        Assert.True(ConfigSource.Load("toy1d").Output.TensorBoard);
        var typo = Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d", settings: ["output.tensorbord=false"]));
        Assert.Contains("tensorbord", typo.Message);
        new TrainingSession(config with { Pretrain = null }, dir.Root).Run();
        Assert.Empty(TfEventsTestReader.Files(dir.Root));
        Assert.True(File.Exists(Path.Combine(dir.Root, "metrics.csv")));
    }
}
