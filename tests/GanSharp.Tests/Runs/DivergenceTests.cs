using GanSharp.Gan;
using GanSharp.Nn;
using GanSharp.Runs;

namespace GanSharp.Tests.Runs;

public class DivergenceTests : RunFolderTest
{
    [Fact]
    public void A_nan_weight_stops_the_run_in_the_next_step_and_the_last_good_checkpoint_resumes()
    {
        var config = ConfigSource.Load("toy1d", steps: 200, settings: ["output.checkpoint_every=10", "output.keep_checkpoints=3"]);
        var session = new TrainingSession(config with { Pretrain = null }, RunDir);
        var steps = new List<int>();
        session.StepCompleted += m =>
        {
            steps.Add(m.Step);
            if (m.Step == 35) session.Trainer.Generator.Network.Parameters()[0].Span[3] = float.NaN;
        };

        var e = Assert.Throws<TrainingDivergedException>(() => session.Run());
        Assert.Equal(36, e.Step);
        Assert.Contains("NaN", e.Message);
        Assert.Equal(35, steps[^1]); // the diverged step is never reported
        Assert.Equal(35, MetricsLog.Read(Path.Combine(RunDir, "metrics.csv"))[^1].Step);

        var latest = Checkpoint.Latest(RunDir)!.Value;
        Assert.EndsWith(Checkpoint.FileName(30), latest.Path);
        foreach (var name in latest.File.Names.Where(n => latest.File.Info(n).DType == "F32"))
            Assert.All(latest.File.GetFloat32(name), v => Assert.True(float.IsFinite(v), $"{name} is not finite"));

        var resumed = TrainingSession.Resume(RunDir, steps: 50);
        Assert.Equal(30, resumed.Trainer.Step);
        Assert.Equal(50, resumed.Run().Steps);
    }

    [Fact]
    public void An_infinite_weight_is_named()
    {
        var net = new Sequential(new Linear(2, 3), new Tanh(), new Linear(3, 1));
        var player = new Player(net, new GanSharp.Optim.Sgd(net.Parameters(), 0.1f));
        Assert.Null(player.FirstNonFiniteParameter());
        ((Linear)net.Layers[2]).Bias!.Span[0] = float.PositiveInfinity;
        Assert.Equal("2.bias", player.FirstNonFiniteParameter());
    }
}
