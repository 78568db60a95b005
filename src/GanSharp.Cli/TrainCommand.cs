using System.CommandLine;
using System.Globalization;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;

namespace GanSharp.Cli;

/// <summary>`gansharp train PRESET-or-CONFIG.json [--out DIR] [--steps N] [--seed S]`.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "A preset name (" + string.Join(", ", Presets.Names) + ") or a JSON config file." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/NAME-TIMESTAMP)." };
        var steps = new Option<int?>("--steps") { Description = "Override train.steps." };
        var seed = new Option<ulong?>("--seed") { Description = "Override train.seed." };
        var command = new Command("train", "Train a GAN (Algorithm 1 of Goodfellow et al. 2014) and write metrics, figures and report.html.")
        {
            config, output, steps, seed,
        };
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(output), parse.GetValue(steps), parse.GetValue(seed)));
        return command;
    }

    private static int Run(string configName, string? output, int? steps, ulong? seed)
    {
        GanConfig config;
        try { config = ConfigSource.Load(configName, steps, seed); }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        string dir = output ?? Path.Combine("runs", $"{config.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        var session = new TrainingSession(config, dir);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl-C: finish the current step, write what we have, exit non-zero. A second one kills.
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
            Console.Error.WriteLine("\nstopping after the current step; writing metrics, figures and report...");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Console.WriteLine($"run folder: {Path.GetFullPath(dir)}");
            var summary = ProgressDisplay.Track(session, config.Train.Steps, stop.Token);
            foreach (var (key, value) in summary.Numbers) Console.WriteLine($"  {key}: {value}");
            Console.WriteLine($"report: {Path.GetFullPath(summary.ReportPath)}");
            return summary.Stopped ? 130 : 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
