using System.Diagnostics;
using System.Globalization;
using GanSharp.Evaluation;
using GanSharp.Figures;
using GanSharp.Gan;
using GanSharp.Gan.Config;

namespace GanSharp.Runs;

/// <summary>What a finished (or stopped) run reports back.</summary>
public sealed record RunSummary(int Steps, bool Stopped, double Seconds, string ReportPath, IReadOnlyList<(string Key, string Value)> Numbers);

/// <summary>
/// One training run in its folder: config.json, metrics.csv, the figures (PNG and SVG) and report.html.
/// It prints nothing; callers watch <see cref="StepCompleted"/> and <see cref="PhaseChanged"/>.
/// </summary>
public sealed class TrainingSession
{
    public GanConfig Config { get; }
    public string Directory { get; }
    public GanTrainer Trainer { get; }

    public event Action<StepMetrics>? StepCompleted;
    public event Action<string>? PhaseChanged;

    public TrainingSession(GanConfig config, string directory)
    {
        Config = config;
        Directory = directory;
        Trainer = GanFactory.CreateTrainer(config);
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Trains to the configured step count, or until <paramref name="stop"/> fires (after the current step).</summary>
    public RunSummary Run(CancellationToken stop = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(PathOf("config.json"), Config.Json);
        var clock = Stopwatch.StartNew();
        var toy = Config.Data as Gaussian1DDataConfig;
        var figures = new List<(string Caption, object Figure)>();

        float[]? pretrainLosses = null;
        if (toy != null) figures.Add(("1. p_data and the decision boundary of the untrained D", Toy1DFigures.Initial(Curves(toy))));
        if (Config.Pretrain is { Steps: > 0 } pre)
        {
            PhaseChanged?.Invoke("pre-training D");
            pretrainLosses = Trainer.PretrainDiscriminator(pre.Steps, pre.Mode, pre.Lr, toy == null ? default : ((float)toy.PlotMin, (float)toy.PlotMax));
            if (toy != null) figures.Add(("2. Pre-training loss and the pre-trained decision surface", Toy1DFigures.Pretraining(pretrainLosses, Curves(toy))));
        }

        PhaseChanged?.Invoke("training");
        bool stopped = false;
        using (var log = new MetricsLog(PathOf("metrics.csv"), Config.Output.LogEvery))
        {
            StepMetrics last = default;
            while (Trainer.Step < Config.Train.Steps)
            {
                if (stop.IsCancellationRequested) { stopped = true; break; }
                last = Trainer.TrainStep();
                log.Observe(last);
                StepCompleted?.Invoke(last);
            }
            if (last.Step > 0) log.Observe(last, force: true);
            PhaseChanged?.Invoke("writing figures and report");
            if (log.Rows.Count > 0) figures.Add(("3. Training losses of D and G", Toy1DFigures.Losses(log.Rows)));
        }

        var numbers = new List<(string, string)>
        {
            ("steps", Trainer.Step.ToString(CultureInfo.InvariantCulture)),
            ("stopped early", stopped ? "yes (interrupted)" : "no"),
            ("wall time (s)", F(clock.Elapsed.TotalSeconds)),
        };
        if (toy != null)
        {
            var final = Curves(toy);
            figures.Add(("4. Final fit: p_data, p_g (histogram of G's samples), D(x) and the optimal D*(x)", Toy1DFigures.Final(final)));
            AddToyNumbers(numbers, final, toy);
        }
        SaveFigures(figures);
        var report = PathOf("report.html");
        WriteReport(report, figures, numbers, pretrainLosses);
        return new RunSummary(Trainer.Step, stopped, clock.Elapsed.TotalSeconds, report, numbers);
    }

    private DensityCurves1D Curves(Gaussian1DDataConfig toy) => DensityCurves1D.Compute(Trainer, toy.PlotMin, toy.PlotMax);

    private static void AddToyNumbers(List<(string, string)> numbers, DensityCurves1D c, Gaussian1DDataConfig toy)
    {
        double mean = c.Samples.Average(v => (double)v);
        double std = Math.Sqrt(c.Samples.Average(v => (v - mean) * (v - mean)));
        numbers.Add(("data mean / std", $"{F(toy.Mean)} / {F(toy.Std)}"));
        numbers.Add(("G samples mean / std", $"{F(mean)} / {F(std)}"));
        // Where either density is visible, how far D is from the optimum for the current G.
        double err = 0;
        int n = 0;
        for (int i = 0; i < c.X.Length; i++)
            if (c.PData[i] + c.PG[i] > 0.01 && !double.IsNaN(c.DStar[i])) { err += Math.Abs(c.D[i] - c.DStar[i]); n++; }
        numbers.Add(("mean |D(x) - D*(x)| where p_data + p_g > 0.01", n > 0 ? F(err / n) : "n/a"));
    }

    private void SaveFigures(List<(string Caption, object Figure)> figures)
    {
        string[] names = ["fig1_initial", "fig2_pretraining", "fig3_losses", "fig4_final"];
        foreach (var (caption, figure) in figures)
        {
            string name = names[int.Parse(caption[..1], CultureInfo.InvariantCulture) - 1];
            switch (figure)
            {
                case Plot p: p.SavePng(PathOf(name + ".png")); p.SaveSvg(PathOf(name + ".svg")); break;
                case PlotGrid g: g.SavePng(PathOf(name + ".png")); g.SaveSvg(PathOf(name + ".svg")); break;
            }
        }
    }

    private void WriteReport(string path, List<(string Caption, object Figure)> figures, List<(string Key, string Value)> numbers, float[]? pretrainLosses)
    {
        var report = new HtmlReport($"GanSharp run: {Config.Name}");
        report.Paragraph($"Objective {Config.Objective}, k = {Config.Train.K}, batch {Config.Train.BatchSize}, seed {Config.Train.Seed}, " +
                         $"pack {Config.Train.Pack}. Figures are also saved as PNG and SVG beside this page.");
        report.Section("Final numbers").KeyValueTable(numbers.Select(n => (n.Key, (object?)n.Value)));
        report.Section("Figures");
        foreach (var (caption, figure) in figures)
        {
            if (figure is Plot p) report.Figure(p, caption);
            else if (figure is PlotGrid g) report.Figure(g, caption);
        }
        if (pretrainLosses is { Length: > 0 })
            report.Paragraph($"Pre-training: {pretrainLosses.Length} steps, loss {F(pretrainLosses[0])} -> {F(pretrainLosses[^1])}.");
        report.Section("Config").Preformatted(Config.Json);
        report.Save(path);
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
