using GanSharp.Data;

namespace GanSharp.Evaluation;

/// <summary>Stacked MNIST mode counts: how many of the classes^channels digit combinations G produces.</summary>
public sealed record StackedModeResult(int ModesCovered, int ModeCount, double ReverseKl, int[] SamplesPerMode, int Samples);

public static class StackedModeCoverage
{
    /// <summary>
    /// Each channel of each sample (rows of channels x H x W, channel-major) is labelled by the classifier;
    /// the labels read as one base-classes number give the sample's mode. A mode is covered when at least
    /// one sample falls in it; the reverse KL is KL(histogram || uniform) over all modes (VEEGAN, PacGAN).
    /// </summary>
    public static StackedModeResult Measure(ReadOnlySpan<float> samples, int channels, ImageClassifier classifier)
    {
        if (classifier.Channels != 1) throw new ArgumentException($"Stacked modes are labelled one channel at a time; the classifier takes {classifier.Channels}-channel images.");
        int plane = classifier.Dimension, dimension = channels * plane;
        if (channels < 1 || samples.Length == 0 || samples.Length % dimension != 0)
            throw new ArgumentException($"{samples.Length} floats are not whole samples of {channels} x {classifier.Height}x{classifier.Width}.");
        return Count(classifier.Predict(samples), channels, classifier.Classes); // channel planes are consecutive rows
    }

    /// <summary>
    /// What <see cref="Measure"/> gives on <c>StackedDataset.Create(digits, channels, count, seed)</c>, without
    /// building the stacks: the classifier labels each digit once and the stacks' draws pick among the labels.
    /// </summary>
    public static StackedModeResult MeasureRealStacks(Dataset digits, int channels, int count, ulong seed, ImageClassifier classifier)
    {
        var labels = classifier.Predict(digits.Data);
        var picks = StackedDataset.DrawPicks(digits.Count, channels, count, seed);
        return Count(Array.ConvertAll(picks, pick => labels[pick]), channels, classifier.Classes);
    }

    /// <summary>Modes from the per-channel labels, <paramref name="channels"/> consecutive labels per sample.</summary>
    private static StackedModeResult Count(int[] digits, int channels, int classes)
    {
        int count = digits.Length / channels;
        int modes = (int)Math.Pow(classes, channels);
        var perMode = new int[modes];
        for (int i = 0; i < count; i++)
        {
            int mode = 0;
            for (int c = 0; c < channels; c++) mode = mode * classes + digits[i * channels + c];
            perMode[mode]++;
        }
        return new StackedModeResult(perMode.Count(n => n > 0), modes, ModeCoverage.ReverseKl(perMode), perMode, count);
    }
}
