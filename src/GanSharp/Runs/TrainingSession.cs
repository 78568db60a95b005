using System.Diagnostics;
using System.Globalization;
using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Figures;
using GanSharp.Gan;
using GanSharp.Gan.Config;

namespace GanSharp.Runs;

/// <summary>What a finished (or stopped) run reports back.</summary>
public sealed record RunSummary(int Steps, bool Stopped, double Seconds, string ReportPath, IReadOnlyList<(string Key, string Value)> Numbers);

/// <summary>
/// One training run in its folder: config.json, metrics.csv, checkpoints/, the figures (PNG and SVG),
/// report.html and TensorBoard event files. It prints nothing; callers watch <see cref="StepCompleted"/> and <see cref="PhaseChanged"/>.
/// </summary>
public sealed class TrainingSession
{
    private int _resumedFromStep;

    public GanConfig Config { get; }
    public string Directory { get; }
    public GanTrainer Trainer { get; }
    public DataBundle Data { get; }

    public event Action<StepMetrics>? StepCompleted;
    public event Action<string>? PhaseChanged;

    /// <param name="dataDir">Where to look first for stored datasets (the CLI's --data).</param>
    public TrainingSession(GanConfig config, string directory, string? dataDir = null)
    {
        Config = config;
        Directory = directory;
        Data = GanFactory.CreateData(config, dataDir);
        Trainer = GanFactory.CreateTrainer(config, Data);
    }

    /// <summary>Continues a run from its newest intact checkpoint (optionally to a new step count).</summary>
    public static TrainingSession Resume(string directory, int? steps = null, string? dataDir = null)
    {
        var configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath)) throw new ConfigException($"{directory}: not a run folder (no config.json).");
        var config = ConfigSource.Parse(File.ReadAllText(configPath), configPath, steps);
        var latest = Checkpoint.Latest(directory)
            ?? throw new InvalidDataException($"{directory}: no intact checkpoint to resume from.");
        if (latest.File.Metadata.TryGetValue(CheckpointAverage.AveragedFrom, out var averaged))
            throw new ConfigException($"{directory} holds an averaged generator for evaluation ({averaged}); resume the run it came from.");
        var session = new TrainingSession(config, directory, dataDir);
        Checkpoint.Restore(session.Trainer, latest.File);
        session._resumedFromStep = session.Trainer.Step;
        return session;
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Trains to the configured step count, or until <paramref name="stop"/> fires (after the current step).</summary>
    public RunSummary Run(CancellationToken stop = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(PathOf("config.json"), Config.Json);
        var clock = Stopwatch.StartNew();
        var toy = Config.Data as Gaussian1DDataConfig;
        var figures = new List<ReportFigure>();
        bool resumed = _resumedFromStep > 0;

        if (resumed)
        {
            figures.AddRange(ReportFigure.FromDisk(Directory, "fig1_initial", "1. p_data and the decision boundary of the untrained D"));
            figures.AddRange(ReportFigure.FromDisk(Directory, "fig2_pretraining", "2. Pre-training loss and the pre-trained decision surface"));
        }
        else
        {
            if (toy != null) figures.Add(new("fig1_initial", "1. p_data and the decision boundary of the untrained D", Toy1DFigures.Initial(Curves(toy))));
            if (Config.Pretrain is { Steps: > 0 } pre)
            {
                PhaseChanged?.Invoke("pre-training D");
                var losses = Trainer.PretrainDiscriminator(pre.Steps, pre.Mode, pre.Lr, toy == null ? default : ((float)toy.PlotMin, (float)toy.PlotMax));
                if (toy != null) figures.Add(new("fig2_pretraining", "2. Pre-training loss and the pre-trained decision surface", Toy1DFigures.Pretraining(losses, Curves(toy))));
            }
        }

        PhaseChanged?.Invoke("training");
        bool stopped = false;
        using var tensorBoard = Config.Output.TensorBoard ? TensorBoardLog.Open(Directory, _resumedFromStep) : null;
        using (var log = MetricsLog.Open(PathOf("metrics.csv"), Config.Output.LogEvery, keepUpToStep: resumed ? _resumedFromStep : 0))
        {
            tensorBoard?.Follow(log);
            Action<StepMetrics> onStep = m => log.Observe(m);
            Action<int> onCheckpoint = _ => SaveCheckpoint(log);
            Action<int> onEvaluation = step => SaveProgressSamples(step, tensorBoard);
            Trainer.StepCompleted += onStep;
            Trainer.CheckpointDue += onCheckpoint;
            Trainer.EvaluationDue += onEvaluation;
            StepMetrics last = default;
            try
            {
                while (Trainer.Step < Config.Train.Steps)
                {
                    if (stop.IsCancellationRequested) { stopped = true; break; }
                    last = Trainer.TrainStep();
                    StepCompleted?.Invoke(last);
                }
            }
            catch (TrainingDivergedException)
            {
                // Keep the last good step's numbers; the diverged state itself is never checkpointed.
                if (last.Step > 0) log.Observe(last, force: true);
                throw;
            }
            finally
            {
                Trainer.StepCompleted -= onStep;
                Trainer.CheckpointDue -= onCheckpoint;
                Trainer.EvaluationDue -= onEvaluation;
            }
            if (last.Step > 0) log.Observe(last, force: true);
            PhaseChanged?.Invoke("writing checkpoint, figures and report");
            if (Trainer.CheckpointEvery == 0 || Trainer.Step % Trainer.CheckpointEvery != 0) SaveCheckpoint(log);
            if (log.Rows.Count > 0) figures.Add(new("fig3_losses", "3. Training losses of D and G", LossFigure.Create(log.Rows)));
        }

        var numbers = new List<(string, string)>
        {
            ("steps", Trainer.Step.ToString(CultureInfo.InvariantCulture)),
            ("resumed from step", resumed ? _resumedFromStep.ToString(CultureInfo.InvariantCulture) : "no"),
            ("stopped early", stopped ? "yes (interrupted)" : "no"),
            ("wall time of this session (s)", F(clock.Elapsed.TotalSeconds)),
        };
        if (toy != null)
        {
            var final = Curves(toy);
            figures.Add(new("fig4_final", "4. Final fit: p_data, p_g (histogram of G's samples), D(x) and the optimal D*(x)", Toy1DFigures.Final(final)));
            AddToyNumbers(numbers, final, toy);
        }
        if (Data.IsImage) AddImageFigures(figures);
        if (Data.Train is GaussianMixture2D mixture)
        {
            var samples = GeneratorSampling.Sample(Trainer.SamplingGenerator, Trainer.Noise, 2500, new Tensors.Rng(31));
            var coverage = ModeCoverage.Measure(samples, mixture.Means, mixture.Std);
            figures.Add(new("modes", "2,500 samples over the mixture's modes", MixtureFigures.Samples(samples, mixture, coverage)));
            numbers.Add(("modes covered", $"{coverage.ModesCovered} / {coverage.ModeCount}"));
            numbers.Add(("high-quality samples (within 3 std of a mode)", coverage.HighQualityFraction.ToString("P1", CultureInfo.InvariantCulture)));
            numbers.Add(("reverse KL of the mode histogram to uniform", F(coverage.ReverseKl)));
        }
        foreach (var f in figures) f.Save(Directory);
        var report = PathOf("report.html");
        WriteReport(report, figures, numbers);
        return new RunSummary(Trainer.Step, stopped, clock.Elapsed.TotalSeconds, report, numbers);
    }

    /// <summary>A grid of samples every sample_every steps, in samples/, to watch a long run progress.</summary>
    private void SaveProgressSamples(int step, TensorBoardLog? tensorBoard)
    {
        if (!Data.IsImage) return;
        var dir = PathOf("samples");
        System.IO.Directory.CreateDirectory(dir);
        var grid = ImageFigures.Samples(Trainer.SamplingGenerator, Trainer.Noise, Data.SampleShape, 64, 17);
        grid.Save(Path.Combine(dir, $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}.png"));
        tensorBoard?.WriteSamples(step, grid);
    }

    private void AddImageFigures(List<ReportFigure> figures)
    {
        var g = Trainer.SamplingGenerator;
        if (Data.TrainSet != null)
            figures.Add(new("samples", "Samples; the framed last column is the training example nearest to the sample beside it (Goodfellow et al. 2014, Figure 2)",
                ImageFigures.SamplesWithNearestNeighbours(g, Trainer.Noise, Data.TrainSet, Data.SampleShape, 8, 7, 23)));
        figures.Add(new("interpolations", "Linear interpolations between random points in z space (Figure 3)",
            ImageFigures.Interpolations(g, Trainer.Noise, Data.SampleShape, 6, 10, 29)));
    }

    private void SaveCheckpoint(MetricsLog log)
    {
        log.Flush(); // metrics on disk never lag the checkpoint a resume starts from
        Checkpoint.Save(Trainer, Data.SampleShape, Config.Json, Directory, Config.Output.KeepCheckpoints);
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

    private void WriteReport(string path, List<ReportFigure> figures, List<(string Key, string Value)> numbers)
    {
        var report = new HtmlReport($"GanSharp run: {Config.Name}");
        report.Paragraph($"Objective {Config.Objective}, k = {Config.Train.K}, batch {Config.Train.BatchSize}, seed {Config.Train.Seed}, " +
                         $"pack {Config.Train.Pack}. Figures are also saved as PNG and SVG beside this page.");
        report.Section("Final numbers").KeyValueTable(numbers.Select(n => (n.Key, (object?)n.Value)));
        report.Section("Figures");
        foreach (var f in figures) f.AddTo(report);
        report.Section("Config").Preformatted(Config.Json);
        report.Save(path);
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
