using GanSharp.Autograd;
using GanSharp.Nn;
using GanSharp.Tensors;

namespace GanSharp.Tests.Tensors;

/// <summary>Pooling inside a scope, including the gradients backward gives back to the pool as soon as they are spent.</summary>
[Collection("ComputeThreads")]
public class TensorScopeTests
{
    /// <summary>
    /// A graph where gradients are shared (x feeds two ops, an add passes one gradient to both inputs), viewed
    /// (reshape, flatten) and made by convolutions and batch norm, so recycled storage would show up as wrong values.
    /// </summary>
    private static float[][] Gradients(bool inScope)
    {
        var rng = new Rng(5);
        var net = new Sequential(new Conv2d(2, 8, 4, 2, 1, rng: rng), new LeakyReLU(0.2f), new Conv2d(8, 16, 4, 2, 1, rng: rng),
            new BatchNorm2d(16), new ReLU(), new Flatten(), new Linear(16 * 16, 1, rng: rng));
        var x = Tensor.Normal(new Shape(6, 2, 16, 16), 0, 1, rng);
        x.RequiresGrad = true;
        using (inScope ? TensorScope.Begin() : default(TensorScope.Handle?))
        {
            var h = x * x + x.Relu();
            var y = net.Forward(h + h.Reshape(6, 2, 256).Reshape(6, 2, 16, 16));
            (y.Sum() + y.Sigmoid().Sum()).Backward();
        }
        return [x.Grad!.ToArray(), .. net.Parameters().Select(p => p.Grad!.ToArray())];
    }

    [Fact]
    public void Gradients_in_a_scope_equal_those_made_without_pooling()
    {
        var pooled = Gradients(inScope: true);
        var plain = Gradients(inScope: false);
        Assert.Equal(plain.Length, pooled.Length);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i], pooled[i]);
    }

    [Fact]
    public void Backward_gives_spent_gradients_back_to_the_pool()
    {
        const int length = 1237; // a size no other test uses, so the pool's count is this test's
        var rng = new Rng(2);
        var w = Tensor.Normal(new Shape(length), 0, 1, rng);
        w.RequiresGrad = true;
        int arraysBefore = TensorScope.FreeArrays(length);
        using (TensorScope.Begin())
        {
            var y = w;
            for (int i = 0; i < 6; i++) y = (y * 0.9f).LeakyRelu(0.1f); // 12 arrays
            y.Sum().Backward();                                 // 12 gradients, each spent before the next is made
        }
        // Without recycling the pool would hold 24 new arrays; with it, the forward's 12 and the two or three that
        // backward passes along.
        int made = TensorScope.FreeArrays(length) - arraysBefore;
        Assert.InRange(made, 12, 15);
    }

    [Fact]
    public void Grad_keeps_the_gradient_of_an_intermediate_target()
    {
        var rng = new Rng(3);
        var x = Tensor.Normal(new Shape(50), 0, 1, rng);
        x.RequiresGrad = true;
        using var _ = TensorScope.Begin();
        var h = x.Tanh();
        var y = (h * h).Sum();
        Span<Tensor?> grads = [null, null];
        GradEngine.Grad([y], [h, x], grads);
        var hv = h.ToArray();
        for (int i = 0; i < hv.Length; i++)
        {
            Assert.Equal(2 * hv[i], grads[0]!.ToArray()[i], 5);
            Assert.Equal(2 * hv[i] * (1 - hv[i] * hv[i]), grads[1]!.ToArray()[i], 5);
        }
    }

    [Fact]
    public void A_fused_rectifier_gradient_that_the_bias_gradient_views_is_not_recycled()
    {
        // Batch 1 and a 1x1 output: the bias gradient (SumToChannels) is a view of the rectifier's gradient, and the
        // products of b * b, whose gradients are rented after the conv's rule, would land in recycled storage.
        float[] BiasGradient(bool inScope)
        {
            var rng = new Rng(8);
            var x = Tensor.Uniform(new Shape(1, 2, 4, 4), -1, 1, rng);
            var w = Tensor.Uniform(new Shape(3, 2, 4, 4), -1, 1, rng);
            var b = Tensor.Uniform(new Shape(3), 0.5f, 1, rng); // positive: the ReLU passes everything
            w.RequiresGrad = b.RequiresGrad = true;
            using (inScope ? TensorScope.Begin() : default(TensorScope.Handle?))
            {
                var y = Tensor.Conv2d(x, w, b, 1, 0, GanSharp.Kernels.Activation.Relu);
                var bb = b * b;
                ((bb * bb).Sum() + (bb * b).Sum() + y.Sum()).Backward(); // y last: its rule runs before the products'
            }
            return b.Grad!.ToArray();
        }
        Assert.Equal(BiasGradient(inScope: false), BiasGradient(inScope: true));
    }

    [Fact]
    public void A_recycled_tensor_reads_as_released()
    {
        using var _ = TensorScope.Begin();
        var t = Tensor.Zeros(4, 4);
        TensorScope.Recycle(t);
        Assert.Throws<ObjectDisposedException>(() => t.ToArray());
        var again = Tensor.Zeros(4, 4);
        Assert.Equal(new float[16], again.ToArray());
    }
}
