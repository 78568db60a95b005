using System.Text.Json;
using GanSharp.Data;
using GanSharp.Tests.Cli;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.Runs;

/// <summary>
/// Base of tests that make run folders: a temp folder removed after each test, and <see cref="RunDir"/>
/// inside it (not created: the CLI or the session makes it).
/// </summary>
public abstract class RunFolderTest : IDisposable
{
    private protected TempFolder Temp { get; } = new();

    protected string RunDir => Path.Combine(Temp.Root, "run");

    /// <summary>
    /// Trains a tiny MLP GAN for two steps with the CLI into <see cref="RunDir"/>, on 120 random 16-d vectors in an NPY
    /// file (20 validation, 20 test). <paramref name="trainArgs"/> are added to the train command.
    /// </summary>
    protected void TrainTinyVectorRun(int seed, params string[] trainArgs)
    {
        var rng = new Random(seed);
        var values = new float[120 * 16];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextDouble();
        string npy = Path.Combine(Temp.Root, "tiny.npy");
        NpyWriter.Write(npy, values, [120, 16]);
        string config = Path.Combine(Temp.Root, "tiny.json");
        File.WriteAllText(config, $$"""
            {
              "name": "tiny", "data": { "type": "npy", "path": {{JsonSerializer.Serialize(npy)}}, "validation": 20, "test": 20 },
              "noise": { "type": "uniform", "dim": 4 },
              "generator": { "layers": [ { "type": "linear", "out": 16 }, { "type": "sigmoid" } ] },
              "discriminator": { "layers": [ { "type": "linear", "out": 8 }, { "type": "relu" }, { "type": "linear", "out": 1 } ] },
              "train": { "k": 1, "batch_size": 10, "steps": 2 },
              "optimizers": { "generator": { "type": "sgd", "lr": 0.1 }, "discriminator": { "type": "sgd", "lr": 0.1 } }
            }
            """);
        var (trained, output) = CliProcess.Run(["train", config, "--out", RunDir, "--threads", "1", .. trainArgs]);
        Assert.True(trained == 0, output);
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
