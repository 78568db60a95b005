using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tensors;
using static GanSharp.Cli.CommandErrors;

namespace GanSharp.Cli;

/// <summary>`gansharp eval parzen RUN`: the Gaussian Parzen-window log-likelihood protocol of Goodfellow et al. 2014.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A run folder." };
        var samples = new Option<int>("--samples") { Description = "Samples drawn from G.", DefaultValueFactory = _ => 10000 };
        var data = new Option<string?>("--data") { Description = "Folder to look in first for the dataset." };
        var seed = new Option<ulong>("--seed") { Description = "Noise seed.", DefaultValueFactory = _ => 0UL };
        var checkpoint = new Option<int?>("--checkpoint") { Description = "Evaluate the checkpoint of this iteration (default: the newest)." };
        var centres = new Option<string>("--centres")
        {
            Description = "Kernel centres: 'generator' (G's samples, the paper's protocol) or 'training-set' (the first --samples training " +
                          "examples: the score of a model that memorised them, a reference for the generator's score).",
            DefaultValueFactory = _ => "generator",
        };
        centres.AcceptOnlyFromAmong("generator", "training-set");
        var parzen = new Command("parzen", "Parzen-window log-likelihood: sigma chosen on the validation set from 10 values log-spaced in [0.1, 1]; test mean and standard error.")
        {
            run, samples, data, seed, centres, checkpoint,
        };
        parzen.SetAction(parse => Guarded(() => Parzen(parse.GetValue(run)!, parse.GetValue(samples), parse.GetValue(data), parse.GetValue(seed), parse.GetValue(centres) == "training-set",
            parse.GetValue(checkpoint))));
        var modeRun = new Argument<string>("run") { Description = "A run folder trained on ring2d, grid2d or stacked digits (data.stack)." };
        var modeSamples = new Option<int?>("--samples") { Description = "Samples drawn from G (default: 2,500 for a 2-D mixture, 26,000 for stacked digits, as VEEGAN and PacGAN)." };
        var modes = new Command("modes", "Mode coverage. 2-D mixture: modes covered, high-quality fraction (within 3 std), reverse KL to uniform. " +
                                         "Stacked digits: a CNN trained on the run's digit split labels each channel; modes covered of classes^channels, reverse KL.")
        {
            modeRun, modeSamples, data, seed, checkpoint,
        };
        modes.SetAction(parse => Guarded(() => Modes(parse.GetValue(modeRun)!, parse.GetValue(modeSamples), parse.GetValue(data), parse.GetValue(seed), parse.GetValue(checkpoint))));
        var fdRun = new Argument<string>("run") { Description = "A run folder trained on labelled images (mnist, fashion-mnist, mnist10k, cifar10, class-per-folder images)." };
        var fd = new Command("fd", "Frechet distance between G's samples and held-out images in the features of a CNN trained on the run's training split " +
                                   "(FID with that CNN in place of Inception); the training images' own distance is printed beside it for scale.")
        {
            fdRun, samples, data, seed, checkpoint,
        };
        fd.SetAction(parse => Guarded(() => Frechet(parse.GetValue(fdRun)!, parse.GetValue(samples), parse.GetValue(data), parse.GetValue(seed), parse.GetValue(checkpoint))));
        var nearestRun = new Argument<string>("run") { Description = "A run folder trained on stored images or vectors." };
        var nearestSamples = new Option<int>("--samples") { Description = "Samples drawn from G (and held-out examples compared, up to as many).", DefaultValueFactory = _ => 1000 };
        var nearest = new Command("nearest", "Distance from each of G's samples to its nearest training example, beside the same for held-out examples: " +
                                             "samples much closer than real unseen data are copies or near-copies (the numbers behind the paper's Figure 2).")
        {
            nearestRun, nearestSamples, data, seed, checkpoint,
        };
        nearest.SetAction(parse => Guarded(() => Nearest(parse.GetValue(nearestRun)!, parse.GetValue(nearestSamples), parse.GetValue(data), parse.GetValue(seed), parse.GetValue(checkpoint))));
        return new Command("eval", "Evaluate a trained run.") { parzen, modes, fd, nearest };
    }

    /// <summary>Epochs of the evaluation classifier (Adam, batch 100): 10, fewer on large sets (about 100,000 images seen, at least 1 epoch).</summary>
    private static int ClassifierEpochs(int trainingImages) => Math.Clamp((100_000 + trainingImages - 1) / trainingImages, 1, 10);

    private static int Modes(string directory, int? count, string? dataDir, ulong seed, int? step)
    {
        var folder = RunFolder.Open(directory, step);
        if (folder.Config.Data is StoredDataConfig { Stack: > 1 } stacked)
            return StackedModes(directory, folder, stacked, count ?? 26000, dataDir, seed);
        if (folder.Config.Data is not MixtureDataConfig || GanFactory.CreateData(folder.Config).Train is not GaussianMixture2D mixture)
            throw new ConfigException($"{directory}: mode coverage needs a ring2d, grid2d or stacked-digits (data.stack) run.");
        var samples = GeneratorSampling.Sample(folder.Generator, folder.Noise, count ?? 2500, new Rng(seed));
        var r = ModeCoverage.Measure(samples, mixture.Means, mixture.Std);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"modes covered {r.ModesCovered}/{r.ModeCount}, high quality {r.HighQualityFraction:P1}, reverse KL {r.ReverseKl:F3} ({r.Samples} samples)"));
        File.WriteAllText(Path.Combine(directory, "modes.json"), JsonSerializer.Serialize(new
        {
            modes_covered = r.ModesCovered, modes = r.ModeCount, high_quality = r.HighQualityFraction, reverse_kl = double.IsFinite(r.ReverseKl) ? r.ReverseKl : (double?)null, // undefined without high-quality samples
            samples = r.Samples, high_quality_per_mode = r.HighQualityPerMode,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int StackedModes(string directory, RunFolder folder, StoredDataConfig stacked, int count, string? dataDir, ulong seed)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (digits, validation, test) = GanFactory.LoadSplits(stacked, dataDir);
        var heldOut = validation ?? test ?? throw new ConfigException("Stacked mode counting scores its digit classifier on held-out digits: set data.validation > 0.");
        int epochs = ClassifierEpochs(digits.Count);
        var (classifier, loaded) = EvaluationClassifier.TrainOrLoad(directory, digits, epochs, seed: 7);
        double accuracy = classifier.Accuracy(heldOut);
        var samples = GeneratorSampling.Sample(folder.Generator, folder.Noise, count, new Rng(seed));
        var r = StackedModeCoverage.Measure(samples, stacked.Stack, classifier);
        // The same count of stacks of real held-out digits: what a perfect G would score, classifier errors included.
        var real = StackedModeCoverage.MeasureRealStacks(heldOut, stacked.Stack, count, seed: 11, classifier);
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"digit classifier{(loaded ? " (kept in the run folder)" : "")}: {accuracy:P2} on {heldOut.Count} held-out digits ({digits.Count} training digits, {epochs} epochs)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"modes covered {r.ModesCovered}/{r.ModeCount}, reverse KL {r.ReverseKl:F3} ({r.Samples} samples, {seconds:F1} s); " +
            $"{real.Samples} stacks of real held-out digits: {real.ModesCovered}/{real.ModeCount}, reverse KL {real.ReverseKl:F3}"));
        File.WriteAllText(Path.Combine(directory, "modes.json"), JsonSerializer.Serialize(new
        {
            modes_covered = r.ModesCovered, modes = r.ModeCount, reverse_kl = r.ReverseKl, samples = r.Samples,
            classifier_accuracy = accuracy, classifier_test_digits = heldOut.Count, classifier_epochs = epochs,
            real_stacks_modes_covered = real.ModesCovered, real_stacks_reverse_kl = real.ReverseKl,
            checkpoint = Path.GetFileName(folder.CheckpointPath), seconds, samples_per_mode = r.SamplesPerMode,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int Frechet(string directory, int count, string? dataDir, ulong seed, int? step)
    {
        var folder = RunFolder.Open(directory, step);
        if (folder.Config.Data is not StoredDataConfig { Stack: 1 } stored)
            throw new ConfigException($"{directory}: the Frechet distance needs a run on stored, labelled images without stacking (for stacked digits use `eval modes`).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (train, validation, test) = GanFactory.LoadSplits(stored, dataDir);
        var heldOut = test ?? validation ?? throw new ConfigException("The Frechet distance compares with held-out images: set data.validation > 0 (or data.test).");
        if (train.Labels is null || train.SampleShape.Length != 3)
            throw new ConfigException($"The Frechet distance's feature network is a classifier trained on the run's images; {train.Name} has no labels or is not images.");
        int epochs = ClassifierEpochs(train.Count);
        var (classifier, loaded) = EvaluationClassifier.TrainOrLoad(directory, train, epochs, seed: 7);
        double accuracy = classifier.Accuracy(heldOut);
        var heldOutFeatures = classifier.Features(heldOut.Data);
        var generated = GeneratorSampling.Sample(folder.Generator, folder.Noise, count, new Rng(seed));
        double distance = FrechetDistance.Compute(classifier.Features(generated), heldOutFeatures, ImageClassifier.FeatureDimension);
        int referenceCount = Math.Min(count, train.Count);
        double reference = FrechetDistance.Compute(classifier.Features(train.Data.AsSpan(0, referenceCount * train.Dimension)), heldOutFeatures, ImageClassifier.FeatureDimension);
        double seconds = clock.Elapsed.TotalSeconds;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"classifier{(loaded ? " (kept in the run folder)" : "")}: {accuracy:P2} on {heldOut.Count} held-out images ({train.Count} training images, {epochs} epochs)"));
        Console.WriteLine(string.Create(c, $"Frechet distance to {heldOut.Count} held-out images: G {distance:F2} ({count} samples); training images {reference:F2} ({referenceCount}) ({seconds:F1} s)"));
        File.WriteAllText(Path.Combine(directory, "fd.json"), JsonSerializer.Serialize(new
        {
            fd = distance, samples = count, training_images_fd = reference, training_images = referenceCount, held_out_images = heldOut.Count,
            classifier_accuracy = accuracy, classifier_epochs = epochs, feature_dimension = ImageClassifier.FeatureDimension,
            checkpoint = Path.GetFileName(folder.CheckpointPath), seconds,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int Nearest(string directory, int count, string? dataDir, ulong seed, int? step)
    {
        if (count < 1) throw new ConfigException("--samples must be at least 1.");
        var folder = RunFolder.Open(directory, step);
        var bundle = GanFactory.CreateData(folder.Config, dataDir);
        var train = bundle.TrainSet ?? throw new ConfigException($"{directory}: nearest-neighbour distances need a run trained on a stored dataset.");
        var heldOut = bundle.Test ?? bundle.Validation ?? throw new ConfigException("Nearest-neighbour distances compare with held-out examples: set data.validation > 0 (or data.test).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var generated = NearestNeighbours.Distances(GeneratorSampling.Sample(folder.Generator, folder.Noise, count, new Rng(seed)), train.Data, train.Dimension);
        int heldOutCount = Math.Min(count, heldOut.Count);
        var real = NearestNeighbours.Distances(heldOut.Data.AsSpan(0, heldOutCount * heldOut.Dimension), train.Data, train.Dimension);
        var g = DistanceQuantiles.Of(generated);
        var h = DistanceQuantiles.Of(real);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"distance to the nearest of {train.Count} training examples ({clock.Elapsed.TotalSeconds:F1} s):"));
        foreach (var (who, q) in new[] { ($"G's {count} samples", g), ($"{heldOutCount} held-out examples", h) })
            Console.WriteLine(string.Create(c, $"  {who + ":",-26} min {q.Min:F3}, 1% {q.P1:F3}, 10% {q.P10:F3}, median {q.Median:F3}"));
        File.WriteAllText(Path.Combine(directory, "nearest.json"), JsonSerializer.Serialize(new
        {
            samples = count, held_out = heldOutCount, training_examples = train.Count, generator = g, held_out_examples = h,
            checkpoint = Path.GetFileName(folder.CheckpointPath),
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return 0;
    }

    /// <summary>Quantiles (nearest rank) of nearest-neighbour distances.</summary>
    private sealed record DistanceQuantiles(double Min, double P1, double P10, double Median)
    {
        public static DistanceQuantiles Of(float[] distances)
        {
            var sorted = distances.Order().ToArray();
            double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
            return new DistanceQuantiles(sorted[0], At(0.01), At(0.10), At(0.5));
        }
    }

    private static int Parzen(string directory, int count, string? dataDir, ulong seed, bool trainingSetCentres, int? step)
    {
        var folder = RunFolder.Open(directory, step);
        var bundle = GanFactory.CreateData(folder.Config, dataDir);
        if (bundle.Validation == null || bundle.Test == null)
            throw new ConfigException("Parzen evaluation needs held-out validation and test sets: use a stored dataset with data.validation > 0 (and data.test > 0 when it has no test split).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        float[] centres;
        if (trainingSetCentres)
        {
            var train = bundle.TrainSet ?? throw new ConfigException("--centres training-set needs a stored training set.");
            centres = train.Data.AsSpan(0, Math.Min(count, train.Count) * train.Dimension).ToArray();
        }
        else centres = GeneratorSampling.Sample(folder.Generator, folder.Noise, count, new Rng(seed));
        var result = ParzenWindow.Evaluate(centres, bundle.Validation.Data, bundle.Test.Data, bundle.Dimension);
        double seconds = clock.Elapsed.TotalSeconds;
        var c = CultureInfo.InvariantCulture;
        for (int i = 0; i < result.Sigmas.Length; i++)
            Console.WriteLine(string.Create(c, $"  sigma {result.Sigmas[i]:F4}: validation mean log-likelihood {result.ValidationMeans[i]:F2}"));
        string source = trainingSetCentres ? "training examples" : "samples";
        Console.WriteLine(string.Create(c, $"Parzen log-likelihood on {result.TestPoints} test points: {result.TestMean:F1} +- {result.TestStandardError:F1} (sigma {result.Sigma:F4}, {result.Samples} {source}, {seconds:F1} s)"));
        var json = JsonSerializer.Serialize(new
        {
            sigma = result.Sigma, test_mean = result.TestMean, test_standard_error = result.TestStandardError,
            samples = result.Samples, test_points = result.TestPoints, validation_points = bundle.Validation.Count,
            sigmas = result.Sigmas, validation_means = result.ValidationMeans, seconds,
            centres = trainingSetCentres ? "training-set" : "generator",
            checkpoint = trainingSetCentres ? null : Path.GetFileName(folder.CheckpointPath),
        }, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(directory, trainingSetCentres ? "parzen-training-set.json" : "parzen.json"), json);
        return 0;
    }
}
