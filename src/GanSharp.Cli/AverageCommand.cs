using System.CommandLine;
using GanSharp.Runs;

namespace GanSharp.Cli;

/// <summary>`gansharp average RUN --from STEP [--to STEP] --out DIR`: G's weights averaged over kept checkpoints, as a run folder.</summary>
internal static class AverageCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A run folder with the checkpoints to average." };
        var from = new Option<int>("--from") { Description = "First iteration averaged.", Required = true };
        var to = new Option<int?>("--to") { Description = "Last iteration averaged (default: the newest checkpoint)." };
        var output = new Option<string>("--out") { Description = "New run folder for the averaged generator.", Required = true };
        var command = new Command("average",
            "Average G's weights (and its moving average's) uniformly over the kept checkpoints of iterations [from, to]; " +
            "the result is a run folder that sample, eval and export read like any other.")
        {
            run, from, to, output,
        };
        command.SetAction(parse => Run(parse.GetValue(run)!, parse.GetValue(from), parse.GetValue(to), parse.GetValue(output)!));
        return command;
    }

    private static int Run(string directory, int from, int? to, string output) => CommandErrors.Guarded(() =>
    {
        var steps = CheckpointAverage.Write(directory, from, to, output);
        Console.WriteLine($"averaged {steps.Length} checkpoints (iterations {steps[0]} to {steps[^1]}) into {output}");
        return 0;
    });
}
