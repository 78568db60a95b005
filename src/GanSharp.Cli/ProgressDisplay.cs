using System.Diagnostics;
using System.Globalization;
using GanSharp.Gan;
using GanSharp.Runs;
using Spectre.Console;

namespace GanSharp.Cli;

/// <summary>A live progress bar (step / total, it/s, ETA, losses) on a terminal; periodic plain lines otherwise.</summary>
internal static class ProgressDisplay
{
    public static RunSummary Track(TrainingSession session, int totalSteps, CancellationToken stop)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return TrackPlain(session, totalSteps, stop);

        RunSummary? summary = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: Math.Max(1, totalSteps));
                var rate = new RateMeter();
                session.PhaseChanged += phase => task.Description = Markup.Escape(phase);
                session.StepCompleted += m =>
                {
                    task.Value = m.Step;
                    if (rate.Tick(m.Step))
                        task.Description = Markup.Escape(Describe(m, totalSteps, rate.PerSecond));
                };
                summary = session.Run(stop);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static RunSummary TrackPlain(TrainingSession session, int totalSteps, CancellationToken stop)
    {
        var rate = new RateMeter();
        int every = Math.Max(1, totalSteps / 20);
        session.PhaseChanged += phase => Console.WriteLine($"[{phase}]");
        session.StepCompleted += m =>
        {
            rate.Tick(m.Step);
            if (m.Step % every == 0 || m.Step == totalSteps) Console.WriteLine(Describe(m, totalSteps, rate.PerSecond));
        };
        return session.Run(stop);
    }

    private static string Describe(StepMetrics m, int total, double perSecond) => string.Create(CultureInfo.InvariantCulture,
        $"step {m.Step}/{total}  {perSecond:F0} it/s  D loss {m.DiscriminatorLoss:F3}  G loss {m.GeneratorLoss:F3}  D(x) {m.MeanDReal:F2}  D(G(z)) {m.MeanDFake:F2}");

    /// <summary>Iterations per second over the last half second or so; says when the text is worth refreshing.</summary>
    private sealed class RateMeter
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _lastStep;
        private double _lastTime;

        public double PerSecond { get; private set; }

        public bool Tick(int step)
        {
            double now = _clock.Elapsed.TotalSeconds;
            if (now - _lastTime < 0.5) return false;
            PerSecond = (step - _lastStep) / (now - _lastTime);
            (_lastStep, _lastTime) = (step, now);
            return true;
        }
    }
}
