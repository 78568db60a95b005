using GanSharp.IO;
using GanSharp.Runs;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.Runs;

public class CheckpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, byte[]> StateOf(string path)
    {
        var file = SafeTensorsFile.Load(path);
        return file.Names.ToDictionary(n => n, n =>
        {
            var info = file.Info(n);
            return info.DType switch
            {
                "F32" => file.GetFloat32(n).SelectMany(BitConverter.GetBytes).ToArray(),
                "F64" => file.GetFloat64(n).SelectMany(BitConverter.GetBytes).ToArray(),
                "I64" => file.GetInt64(n).SelectMany(BitConverter.GetBytes).ToArray(),
                "U64" => file.GetUInt64(n).SelectMany(BitConverter.GetBytes).ToArray(),
                _ => file.GetUInt8(n),
            };
        });
    }

    [Fact]
    public void Two_n_steps_straight_equal_n_steps_resume_n_steps_bit_for_bit()
    {
        const int n = 150;
        var config = ConfigSource.Load("toy1d", steps: 2 * n, seed: 5);
        config = config with { Pretrain = config.Pretrain! with { Steps = 40 } };

        var straight = Path.Combine(_temp.Root, "straight");
        new TrainingSession(config, straight).Run();

        var split = Path.Combine(_temp.Root, "split");
        var first = new TrainingSession(config with { Train = config.Train with { Steps = n } }, split).Run();
        Assert.Equal(n, first.Steps);
        var resumed = TrainingSession.Resume(split, steps: 2 * n);
        Assert.Equal(n, resumed.Trainer.Step);
        resumed.Run();

        var a = StateOf(Checkpoint.Latest(straight)!.Value.Path);
        var b = StateOf(Checkpoint.Latest(split)!.Value.Path);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains("generator.0.weight", a.Keys);
        Assert.Contains("optim.discriminator.0.exp_avg", a.Keys);
        foreach (var key in a.Keys) Assert.True(a[key].AsSpan().SequenceEqual(b[key]), $"'{key}' differs after resume");

        var metrics = MetricsLog.Read(Path.Combine(split, "metrics.csv"));
        Assert.Equal(Enumerable.Range(1, 2 * n / 10).Select(i => i * 10), metrics.Select(m => m.Step));
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept_and_a_damaged_newest_falls_back()
    {
        var config = ConfigSource.Load("toy1d", steps: 50);
        config = config with { Pretrain = null, Output = config.Output with { CheckpointEvery = 10, KeepCheckpoints = 2 } };
        var dir = Path.Combine(_temp.Root, "keep");
        new TrainingSession(config, dir).Run();
        var files = Checkpoint.List(dir);
        Assert.Equal([Checkpoint.FileName(40), Checkpoint.FileName(50)], files.Select(Path.GetFileName));

        File.WriteAllBytes(files[^1], File.ReadAllBytes(files[^1])[..100]); // a torn write
        var latest = Checkpoint.Latest(dir);
        Assert.Equal(Checkpoint.FileName(40), Path.GetFileName(latest!.Value.Path));
        Assert.Equal(40, TrainingSession.Resume(dir).Trainer.Step);
    }

    [Theory]
    [InlineData("[0,8]", "[4,12]", 12)]  // overlapping
    [InlineData("[0,8]", "[0,8]", 8)]    // the same bytes twice
    [InlineData("[0,8]", "[8,16]", 12)]  // past the end of the data
    [InlineData("[0,8]", "[16,8]", 16)]  // begin after end
    [InlineData("[0,8]", "[8,18446744073709551615]", 16)]
    public void Checkpoints_whose_offsets_overlap_or_run_out_of_range_are_refused(string first, string second, int dataLength)
    {
        var folder = Path.Combine(_temp.Root, "offsets", "checkpoints");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, Checkpoint.FileName(1)),
            new SafeTensorsWriter().SetMetadata("format", Checkpoint.Format).AddFloat32("a", [1f, 2f], 2).ToArray());
        string header = "{\"__metadata__\":{\"format\":\"" + Checkpoint.Format + "\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":" + first + "},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":" + second + "}}";
        string damaged = Path.Combine(folder, Checkpoint.FileName(2));
        File.WriteAllBytes(damaged, GanSharp.Tests.IO.SafeTensorsTestFiles.Build(header, new byte[dataLength]));

        Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Load(damaged));
        Assert.Equal(Checkpoint.FileName(1), Path.GetFileName(Checkpoint.Latest(Path.GetDirectoryName(folder)!)!.Value.Path));
    }
}
