using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;

namespace GanSharp.Cli;

/// <summary>`gansharp train PRESET-or-CONFIG.json [--out DIR] [--steps N] [--seed S] [--set k=v] [--data DIR]` or `gansharp train --resume RUN`.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config") { Description = "A preset name (" + string.Join(", ", Presets.Names) + ") or a JSON config file.", Arity = ArgumentArity.ZeroOrOne };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its newest intact checkpoint." };
        var set = new Option<string[]>("--set") { Description = "Override a config value: --set data.type=mnist10k (repeatable).", AllowMultipleArgumentsPerToken = false };
        var data = new Option<string?>("--data") { Description = "Folder to look in first for stored datasets (then $GANSHARP_DATA, ~/.cache/gansharp, /usr/share/datasets)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/NAME-TIMESTAMP)." };
        var steps = new Option<int?>("--steps") { Description = "Override train.steps." };
        var seed = new Option<ulong?>("--seed") { Description = "Override train.seed." };
        var command = new Command("train", "Train a GAN (Algorithm 1 of Goodfellow et al. 2014) and write metrics, figures and report.html.")
        {
            config, output, steps, seed, resume, set, data,
        };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(output), parse.GetValue(steps), parse.GetValue(seed),
            parse.GetValue(resume), parse.GetValue(set) ?? [], parse.GetValue(data)));
        return command;
    }

    private static int Run(string? configName, string? output, int? steps, ulong? seed, string? resume, string[] settings, string? dataDir)
    {
        TrainingSession session;
        try
        {
            if (resume != null)
            {
                if (configName != null || seed != null || settings.Length > 0 || output != null)
                    throw new ConfigException("--resume continues a run with its own config; only --steps and --data may be given with it.");
                session = TrainingSession.Resume(resume, steps, dataDir);
                Console.WriteLine($"resuming at step {session.Trainer.Step}");
            }
            else
            {
                if (configName == null) throw new ConfigException("give a preset or config file, or --resume RUN.");
                var config = ConfigSource.Load(configName, steps, seed, settings);
                string dir = output ?? Path.Combine("runs", $"{config.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
                session = new TrainingSession(config, dir, dataDir);
            }
        }
        catch (Exception e) when (e is ConfigException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        string runDir = session.Directory;

        using var stop = new CancellationTokenSource();
        // Ctrl-C (SIGINT) or SIGTERM (kill, docker stop, a batch scheduler's time limit): finish the current
        // step, write what we have, exit non-zero. A second signal gets the default action and kills.
        Action<PosixSignalContext> onSignal = context =>
        {
            if (stop.IsCancellationRequested) return;
            context.Cancel = true;
            stop.Cancel();
            Console.Error.WriteLine($"\n{context.Signal}: stopping after the current step; writing metrics, figures and report...");
        };
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
        try
        {
            Console.WriteLine($"run folder: {Path.GetFullPath(runDir)}");
            var summary = ProgressDisplay.Track(session, session.Config.Train.Steps, stop.Token);
            foreach (var (key, value) in summary.Numbers) Console.WriteLine($"  {key}: {value}");
            Console.WriteLine($"report: {Path.GetFullPath(summary.ReportPath)}");
            return summary.Stopped ? 130 : 0;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"\nerror: {e.Message}");
            var kept = Checkpoint.Latest(runDir);
            Console.Error.WriteLine(kept is { } k ? $"last good checkpoint: {Path.GetFullPath(k.Path)}" : "no checkpoint was written before this step.");
            return 3;
        }
    }
}
