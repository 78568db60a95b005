using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>
/// Stacked MNIST (Metz et al. 2017, VEEGAN, PacGAN): each example is <c>channels</c> digits drawn at random
/// from a one-channel labelled set and stacked as colour channels, so there are classes^channels modes
/// (1,000 for three MNIST digits). The label is the channels' labels read as one base-classes number,
/// first channel most significant.
/// </summary>
public static class StackedDataset
{
    public static Dataset Create(Dataset digits, int channels, int count, ulong seed)
    {
        var shape = digits.SampleShape;
        if (shape.Length != 3 || shape[0] != 1)
            throw new ArgumentException($"Stacking needs one-channel images; {digits.Name} has examples of shape [{string.Join(", ", shape)}].");
        if (digits.Labels is null || digits.ClassCount < 2)
            throw new ArgumentException($"Stacking needs labelled digits; {digits.Name} has no labels.");
        if (channels < 2 || Math.Pow(digits.ClassCount, channels) > int.MaxValue)
            throw new ArgumentException($"Stacking {channels} channels of {digits.ClassCount} classes is not supported.");
        if (count < 1 || (long)count * channels * digits.Dimension > Dataset.MaxElements)
            throw new ArgumentException($"{count} stacked examples of {channels} x {digits.Dimension} floats: must be at least 1 and fit in {Dataset.MaxElements} floats.");

        var picks = DrawPicks(digits.Count, channels, count, seed);
        int plane = digits.Dimension, dimension = channels * plane;
        var data = new float[(long)count * dimension];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = 0;
            for (int c = 0; c < channels; c++)
            {
                int pick = picks[i * channels + c];
                digits.CopyExample(pick, data.AsSpan(i * dimension + c * plane, plane));
                label = label * digits.ClassCount + digits.Labels[pick];
            }
            labels[i] = label;
        }
        int classes = (int)Math.Pow(digits.ClassCount, channels);
        return new Dataset($"stacked-{digits.Name}", data, [channels, shape[1], shape[2]], labels, classes);
    }

    /// <summary>The digits <see cref="Create"/> stacks, channel by channel: <paramref name="count"/> x <paramref name="channels"/> indices into the set.</summary>
    public static int[] DrawPicks(int digitCount, int channels, int count, ulong seed)
    {
        var rng = new Rng(seed);
        var picks = new int[(long)count * channels];
        for (int i = 0; i < picks.Length; i++) picks[i] = rng.NextInt(digitCount);
        return picks;
    }
}
