using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Tensors;

namespace GanSharp.Tests.Evaluation;

/// <summary>Stacked MNIST: stacking digits as channels, the digit classifier trained with the engine, and the mode count.</summary>
public class StackedModeCoverageTests
{
    private static readonly Lazy<ImageClassifier> Classifier = new(() => ImageClassifier.Train(GlyphDigits.Create(1000, seed: 1), epochs: 3, seed: 7));

    [Fact]
    public void Stacking_puts_random_digits_in_the_channels_and_reads_their_labels_as_one_number()
    {
        // Five 2x2 "digits" whose pixels all equal their label, so every channel shows which digit it holds.
        var data = Enumerable.Range(0, 5).SelectMany(label => Enumerable.Repeat((float)label, 4)).ToArray();
        var digits = new Dataset("five", data, [1, 2, 2], [0, 1, 2, 3, 4], 5);
        var stacked = StackedDataset.Create(digits, channels: 3, count: 400, seed: 9);
        Assert.Equal([3, 2, 2], stacked.SampleShape);
        Assert.Equal(125, stacked.ClassCount);
        for (int i = 0; i < stacked.Count; i++)
        {
            var x = stacked.Example(i).ToArray();
            int expected = (int)x[0] * 25 + (int)x[4] * 5 + (int)x[8];
            Assert.Equal(expected, stacked.Labels![i]);
            for (int c = 0; c < 3; c++) Assert.All(x[(c * 4)..(c * 4 + 4)], v => Assert.Equal(x[c * 4], v));
        }
        Assert.True(stacked.Labels!.Distinct().Count() > 100, "400 draws of 125 equally likely triples should meet most of them");
        Assert.Equal(stacked.Data, StackedDataset.Create(digits, 3, 400, seed: 9).Data);
        Assert.Throws<ArgumentException>(() => StackedDataset.Create(new Dataset("unlabelled", data, [1, 2, 2]), 3, 10, 1));
        Assert.Throws<ArgumentException>(() => StackedDataset.Create(new Dataset("rgb", data, [4, 1, 1], [0, 1, 2, 3, 4], 5), 3, 10, 1));
    }

    [Fact]
    public void The_classifier_trained_with_the_engine_labels_held_out_digits()
    {
        double accuracy = Classifier.Value.Accuracy(GlyphDigits.Create(300, seed: 2));
        Assert.True(accuracy >= 0.97, $"held-out accuracy {accuracy:P1}");
    }

    [Fact]
    public void Modes_are_the_classified_digit_triples_and_the_kl_is_against_uniform_over_all_1000()
    {
        var heldOut = GlyphDigits.Create(300, seed: 3);
        // 60 stacks whose digit triples are known: modes 0, 111, 222, ..., 999 (all three channels the same digit), six each.
        var samples = new float[60 * 3 * 784];
        for (int s = 0; s < 60; s++)
            for (int c = 0; c < 3; c++)
                heldOut.CopyExample(s % 10 + 10 * (c + 3 * (s / 10)), samples.AsSpan((s * 3 + c) * 784, 784));
        var r = StackedModeCoverage.Measure(samples, 3, Classifier.Value);
        Assert.Equal(1000, r.ModeCount);
        Assert.Equal(60, r.Samples);
        // The mode of a stack is its three predicted digits read as one number.
        var digits = Classifier.Value.Predict(samples);
        var expected = new int[1000];
        for (int s = 0; s < 60; s++) expected[digits[3 * s] * 100 + digits[3 * s + 1] * 10 + digits[3 * s + 2]]++;
        Assert.Equal(expected, r.SamplesPerMode);
        Assert.Equal(expected.Count(n => n > 0), r.ModesCovered);
        Assert.Equal(ModeCoverage.ReverseKl(expected), r.ReverseKl, 12);
        // And with a classifier this good, nearly every stack lands in its true mode 111 d.
        Assert.True(Enumerable.Range(0, 10).Sum(d => r.SamplesPerMode[111 * d]) >= 54, string.Join(" ", Enumerable.Range(0, 10).Select(d => r.SamplesPerMode[111 * d])));
    }

    [Fact]
    public void Real_stacks_are_counted_from_each_digits_label_exactly_as_from_the_stacks()
    {
        var heldOut = GlyphDigits.Create(300, seed: 4);
        var fromStacks = StackedModeCoverage.Measure(StackedDataset.Create(heldOut, 3, 2000, seed: 11).Data, 3, Classifier.Value);
        var fromLabels = StackedModeCoverage.MeasureRealStacks(heldOut, 3, 2000, seed: 11, Classifier.Value);
        Assert.Equal(fromStacks.SamplesPerMode, fromLabels.SamplesPerMode);
        Assert.Equal(fromStacks.ReverseKl, fromLabels.ReverseKl);
        Assert.Equal(2000, fromLabels.Samples);
    }

    [Fact]
    public void Ten_equally_filled_modes_of_1000_have_reverse_kl_log_100()
    {
        var perMode = new int[1000];
        for (int d = 0; d < 10; d++) perMode[111 * d] = 6;
        Assert.Equal(Math.Log(100), ModeCoverage.ReverseKl(perMode), 9); // KL = log(1000 / 10)
    }

    [Fact]
    public void Reverse_kl_of_a_histogram()
    {
        Assert.Equal(Math.Log(2), ModeCoverage.ReverseKl([2, 0, 0, 2]), 12);
        Assert.Equal(0, ModeCoverage.ReverseKl([3, 3, 3]), 12);
        Assert.Equal(Math.Log(5), ModeCoverage.ReverseKl([0, 0, 7, 0, 0]), 12);
        Assert.Equal(double.PositiveInfinity, ModeCoverage.ReverseKl([0, 0]));
    }
}
