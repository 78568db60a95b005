using GanSharp.Nn;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;
using static GanSharp.Tests.Nn.FusionCheck;

namespace GanSharp.Tests.Nn;

public class BatchNormTests
{
    private static readonly Rng R = new(515);

    /// <summary>Per-channel mean and biased variance of [N, C, inner] data, in double.</summary>
    private static (double[] Mean, double[] Var) ChannelMoments(float[] x, int n, int c, int inner)
    {
        var mean = new double[c];
        var variance = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range(0, inner).Select(i => (double)x[(b * c + ch) * inner + i])).ToArray();
            mean[ch] = values.Average();
            variance[ch] = values.Average(v => (v - mean[ch]) * (v - mean[ch]));
        }
        return (mean, variance);
    }

    [Fact]
    public void Training_normalises_with_batch_statistics_and_updates_running_ones()
    {
        var bn = new BatchNorm2d(3);
        Init.Uniform(bn.Weight, 0.5f, 2f, R);
        Init.Uniform(bn.Bias, -1f, 1f, R);
        var x = Tensor.Uniform(new Shape(4, 3, 2, 5), -2, 3, R);
        var y = bn.Forward(x).ToArray();

        var xs = x.ToArray();
        var (mean, variance) = ChannelMoments(xs, 4, 3, 10);
        for (int i = 0; i < xs.Length; i++)
        {
            int ch = i / 10 % 3;
            double expected = (xs[i] - mean[ch]) / Math.Sqrt(variance[ch] + 1e-5) * bn.Weight.At(ch) + bn.Bias.At(ch);
            Assert.Equal(expected, y[i], 1e-4);
        }
        // running = 0.9 running + 0.1 batch, the variance unbiased by M / (M - 1) with M = 4 * 10.
        for (int ch = 0; ch < 3; ch++)
        {
            Assert.Equal(0.1 * mean[ch], bn.RunningMean.At(ch), 1e-5);
            Assert.Equal(0.9 + 0.1 * variance[ch] * 40 / 39, bn.RunningVar.At(ch), 1e-5);
        }
    }

    [Fact]
    public void Evaluation_uses_running_statistics_and_leaves_them_alone()
    {
        var bn = new BatchNorm1d(4);
        Init.Uniform(bn.Weight, 0.5f, 2f, R);
        Init.Uniform(bn.Bias, -1f, 1f, R);
        Init.Uniform(bn.RunningMean, -1f, 1f, R);
        Init.Uniform(bn.RunningVar, 0.5f, 2f, R);
        var runningMean = bn.RunningMean.ToArray();
        var runningVar = bn.RunningVar.ToArray();
        bn.Eval();
        var x = Tensor.Uniform(new Shape(5, 4), -2, 2, R);
        var y = bn.Forward(x).ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            int ch = i % 4;
            double expected = (xs[i] - runningMean[ch]) / Math.Sqrt(runningVar[ch] + 1e-5) * bn.Weight.At(ch) + bn.Bias.At(ch);
            Assert.Equal(expected, y[i], 1e-4);
        }
        Assert.Equal(runningMean, bn.RunningMean.ToArray());
        Assert.Equal(runningVar, bn.RunningVar.ToArray());

        // Back in training mode a single example is refused: its variance is undefined.
        bn.Train();
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(1, 4)));
        Assert.Contains("more than one value per channel", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 3)));
        Assert.Contains("BatchNorm1d(4)", e2.Message);
    }

    [Fact]
    public void Training_gradients_match_finite_differences()
    {
        var bn2 = new BatchNorm2d(2);
        Init.Uniform(bn2.Weight, 0.5f, 1.5f, R);
        Init.Uniform(bn2.Bias, -0.5f, 0.5f, R);
        var x = Leaf(R, -1, 1, 3, 2, 2, 3);
        // A nonlinearity after the normalisation, so the gradient is not trivially zero (sum(xhat) = 0).
        Check(t => WeightedSum(bn2.Forward(t[0]).Tanh()), x, bn2.Weight, bn2.Bias);

        var bn1 = new BatchNorm1d(3);
        Init.Uniform(bn1.Weight, 0.5f, 1.5f, R);
        var x1 = Leaf(R, -1, 1, 4, 3);
        Check(t => WeightedSum(bn1.Forward(t[0]).Sigmoid()), x1, bn1.Weight, bn1.Bias);
    }

    [Fact]
    public void Evaluation_gradients_match_finite_differences()
    {
        var bn = new BatchNorm2d(2);
        Init.Uniform(bn.Weight, 0.5f, 1.5f, R);
        Init.Uniform(bn.RunningVar, 0.5f, 1.5f, R);
        bn.Eval();
        var x = Leaf(R, -1, 1, 2, 2, 2, 2);
        Check(t => WeightedSum(bn.Forward(t[0]).Tanh()), x, bn.Weight, bn.Bias);
    }

    [Fact]
    public void Second_order_gradients_match_finite_differences()
    {
        // Gradient penalties differentiate d/dx again: the recorded backward recomputes the statistics from x.
        var bn = new BatchNorm2d(2);
        Init.Uniform(bn.Weight, 0.5f, 1.5f, R);
        Init.Uniform(bn.Bias, -0.5f, 0.5f, R);
        var x = Leaf(R, -1, 1, 3, 2, 2, 2);
        CheckSecondOrder(t => WeightedSum(bn.Forward(t[0]).Tanh()), x, bn.Weight, bn.Bias);
    }

    public static TheoryData<bool, int[]> FusedCases() => new()
    {
        { false, [4, 3, 5, 5] }, { true, [4, 3, 5, 5] }, { false, [6, 4] }, { true, [6, 4] },
    };

    [Theory]
    [MemberData(nameof(FusedCases))]
    public void A_rectifier_after_batch_norm_runs_fused_with_the_same_values_and_gradients(bool leaky, int[] shape)
    {
        // Sequential fuses BatchNorm + ReLU / LeakyReLU; run the same two modules one after the other as well.
        BatchNorm bn = shape.Length == 4 ? new BatchNorm2d(shape[1]) : new BatchNorm1d(shape[1]);
        Init.Uniform(bn.Weight, 0.5f, 1.5f, R);
        Init.Uniform(bn.Bias, -0.5f, 0.5f, R);
        Module rectifier = leaky ? new LeakyReLU(0.2f) : new ReLU();
        var x = Leaf(R, -1, 1, shape);
        var y = AssertFusedMatchesSeparate(bn, rectifier, x, bn.Weight, bn.Bias);
        Assert.Contains(y, v => v == 0f || (leaky && v < 0f)); // the rectifier did cut something

        bn.Eval();
        Assert.Equal(rectifier.Forward(bn.Forward(x)).ToArray(), new Sequential(bn, rectifier).Forward(x).ToArray());
    }

    [Fact]
    public void Fused_rectifier_gradients_match_finite_differences_to_second_order()
    {
        var bn = new BatchNorm2d(2);
        Init.Uniform(bn.Weight, 0.5f, 1.5f, R);
        Init.Uniform(bn.Bias, -0.5f, 0.5f, R);
        var net = new Sequential(bn, new LeakyReLU(0.3f));
        var x = Leaf(R, -1, 1, 3, 2, 2, 3);
        // The tanh keeps the second derivative from vanishing; leaky ReLU's kinks are measure-zero for these inputs.
        Check(t => WeightedSum(net.Forward(t[0]).Tanh()), x, bn.Weight, bn.Bias);
        CheckSecondOrder(t => WeightedSum(net.Forward(t[0]).Tanh()), x, bn.Weight, bn.Bias);
    }

    [Fact]
    public void Only_a_rectifier_with_a_non_negative_slope_fuses()
    {
        Assert.True(new ReLU().IsRectifier);
        Assert.True(new LeakyReLU(0.2f).IsRectifier);
        Assert.False(new LeakyReLU(-0.5f).IsRectifier); // its output's sign no longer tells the input's
        Assert.False(new Tanh().IsRectifier);
        var x = Tensor.Uniform(new Shape(4, 3), -1, 1, R);
        var e = Assert.Throws<ArgumentException>(() => Tensor.BatchNorm(x, null, null, null, null, true, 0.1f, 1e-5f, GanSharp.Kernels.Activation.Tanh, 0f));
        Assert.Contains("only a ReLU", e.Message);
    }

    [Fact]
    public void Running_statistics_are_named_buffers_not_parameters()
    {
        var net = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Unflatten(1, 2, 2), new BatchNorm2d(1));
        Assert.Equal(["1.running_mean", "1.running_var", "4.running_mean", "4.running_var"], net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"], net.NamedParameters().Select(p => p.Name));
        Assert.DoesNotContain(net.Parameters(), p => ReferenceEquals(p, ((BatchNorm)net.Layers[1]).RunningMean));
    }
}
