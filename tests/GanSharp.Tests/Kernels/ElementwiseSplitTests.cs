using GanSharp.Autograd;
using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Tests.Kernels;

/// <summary>Long elementwise ops run in slices on the compute threads: same values as one thread, element for element.</summary>
[Collection("ComputeThreads")]
public class ElementwiseSplitTests
{
    [Fact]
    public void Long_maps_and_products_do_not_depend_on_the_thread_count()
    {
        const int length = 100_003; // above the threshold, not a multiple of any vector width
        var rng = new Rng(11);
        var x = Tensor.Uniform(new Shape(length), -3, 3, rng);
        var y = Tensor.Uniform(new Shape(length), -3, 3, rng);
        float[][] Ops() => [x.Tanh().ToArray(), x.LeakyRelu(0.2f).ToArray(), (x * y).ToArray(), x.Exp().ToArray()];

        var one = ThreadCount.With(1, Ops);
        var two = ThreadCount.With(2, Ops);
        for (int k = 0; k < one.Length; k++) Assert.Equal(one[k], two[k]);

        var xs = x.ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(MathF.Tanh(xs[i]), two[0][i], 1e-6f);
            Assert.Equal(xs[i] > 0 ? xs[i] : 0.2f * xs[i], two[1][i]);
            Assert.Equal(xs[i] * ys[i], two[2][i]);
            Assert.Equal(MathF.Exp(xs[i]), two[3][i], Math.Max(1e-6f, MathF.Exp(xs[i]) * 1e-6f));
        }
    }

    [Fact]
    public void Leaky_relu_backward_is_the_product_with_its_step_mask_for_any_thread_count()
    {
        // The fused pass (no graph recorded) against the mask-then-multiply it replaces, element for element.
        const int length = 100_003;
        var rng = new Rng(12);
        var x = Tensor.Uniform(new Shape(length), -3, 3, rng);
        var g = Tensor.Uniform(new Shape(length), -3, 3, rng);
        float[] Fused()
        {
            using var _ = GradMode.NoGrad(); // as in a backward pass that records no graph
            return Masks.StepProduct(g, x, 0.2f).ToArray();
        }
        float[] one = ThreadCount.With(1, Fused), two = ThreadCount.With(2, Fused);
        Assert.Equal(one, two);
        float[] xs = x.ToArray(), gs = g.ToArray();
        for (int i = 0; i < length; i++) Assert.Equal(gs[i] * (xs[i] > 0 ? 1f : 0.2f), two[i]);
        Assert.Equal((g * Masks.Step(x, 0.2f)).ToArray(), two);
    }
}
