using System.Diagnostics;
using GanSharp.Runs;
using GanSharp.Tests.Cli;

namespace GanSharp.Tests.Runs;

/// <summary>A training process killed (SIGKILL) at random moments, mostly inside checkpoint writes, always leaves a run that resumes.</summary>
public class KillTests : RunFolderTest
{
    [Fact]
    public void Every_kill_leaves_a_newest_complete_checkpoint_that_resumes()
    {
        var rng = new Random(7);
        int previousStep = 0;
        for (int round = 0; round < 6; round++)
        {
            // A checkpoint every step (each one flushed to disk): most of the run's time is spent writing them.
            using var process = round == 0
                ? CliProcess.Start("train", "toy1d", "--out", RunDir, "--steps", "1000000", "--set", "pretrain.steps=0",
                    "--set", "output.checkpoint_every=1", "--set", "output.keep_checkpoints=2")
                : CliProcess.Start("train", "--resume", RunDir, "--steps", "1000000");
            var clock = Stopwatch.StartNew();
            while (NewestStep() <= previousStep)
            {
                Assert.False(process.HasExited, $"round {round}: the CLI exited with code {(process.HasExited ? process.ExitCode : 0)} before checkpointing");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"round {round}: no new checkpoint within 60 s");
                Thread.Sleep(5);
            }
            Thread.Sleep(rng.Next(0, 200));
            process.Kill(entireProcessTree: true); // SIGKILL: no handler runs
            process.WaitForExit();

            var latest = Checkpoint.Latest(RunDir);
            Assert.True(latest.HasValue, $"round {round}: no intact checkpoint after the kill");
            var session = TrainingSession.Resume(RunDir);
            Assert.True(session.Trainer.Step > previousStep, $"round {round}: resumed at {session.Trainer.Step}, not after {previousStep}");
            previousStep = session.Trainer.Step;
        }
        // A final resume runs to completion from whatever the last kill left.
        var final = TrainingSession.Resume(RunDir, steps: previousStep + 20);
        Assert.Equal(previousStep + 20, final.Run().Steps);
        Assert.Empty(Directory.GetFiles(Path.Combine(RunDir, "checkpoints"), "*.tmp")); // writes cut short are cleaned up
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_stop_signal_ends_the_run_cleanly_after_the_current_step_with_exit_code_130(string signal)
    {
        using var process = CliProcess.Start("train", "toy1d", "--out", RunDir, "--steps", "1000000", "--set", "pretrain.steps=0",
            "--set", "output.checkpoint_every=100");
        var clock = Stopwatch.StartNew();
        while (NewestStep() == 0)
        {
            Assert.False(process.HasExited, "the CLI exited before checkpointing");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no checkpoint within 60 s");
            Thread.Sleep(5);
        }
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(process.WaitForExit(60_000), $"the CLI did not stop within 60 s of SIG{signal}");
        Assert.Equal(130, process.ExitCode);
        Assert.True(File.Exists(Path.Combine(RunDir, "report.html")));
        int stoppedAt = MetricsLog.Read(Path.Combine(RunDir, "metrics.csv"))[^1].Step;
        Assert.Equal(stoppedAt, NewestStep()); // the stop wrote a checkpoint at the step it stopped after
    }

    private int NewestStep()
    {
        var files = Checkpoint.List(RunDir);
        if (files.Length == 0) return 0;
        var name = Path.GetFileNameWithoutExtension(files[^1]);
        return int.Parse(name["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
