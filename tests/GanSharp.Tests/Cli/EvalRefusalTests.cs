using GanSharp.Tests.Runs;

namespace GanSharp.Tests.Cli;

/// <summary>An evaluation that does not apply to a run's data stops with exit code 2 and says what it needs.</summary>
public class EvalRefusalTests : RunFolderTest
{
    [Theory]
    [InlineData("modes", "toy1d-plain", "ring2d, grid2d or stacked-digits")]
    [InlineData("fd", "ring2d", "stored, labelled images")]
    public void Evaluations_refuse_runs_they_do_not_apply_to(string evaluation, string preset, string message)
    {
        var (trained, trainOutput) = CliProcess.Run("train", preset, "--steps", "2", "--out", RunDir, "--threads", "1");
        Assert.True(trained == 0, trainOutput);
        var (code, output) = CliProcess.Run("eval", evaluation, RunDir);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }
}
