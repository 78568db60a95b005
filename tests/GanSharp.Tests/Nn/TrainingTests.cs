using GanSharp.Kernels;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Tests.Nn;

/// <summary>End-to-end behaviour of the engine: learning, determinism, allocation.</summary>
[Collection("ComputeThreads")]
public class TrainingTests
{
    /// <summary>Fits y = sin(2x) on [-2, 2] with a small MLP; returns the final full-batch MSE and the parameters.</summary>
    private static (float Loss, float[] Parameters) FitSine(int steps, ulong seed)
    {
        var rng = new Rng(seed);
        var net = new Sequential(new Linear(1, 32, rng: rng), new Tanh(), new Linear(32, 32, rng: rng), new Tanh(), new Linear(32, 1, rng: rng));
        var opt = new Adam(net.Parameters(), 0.01f);
        const int n = 128;
        var xs = Tensor.Persistent(new Shape(n, 1));
        var ys = Tensor.Persistent(new Shape(n, 1));
        for (int i = 0; i < n; i++) { xs.Span[i] = -2f + 4f * i / (n - 1); ys.Span[i] = MathF.Sin(2 * xs.Span[i]); }
        float loss = 0;
        for (int s = 0; s < steps; s++)
        {
            using var _ = TensorScope.Begin();
            opt.ZeroGrad();
            var l = Losses.Mse(net.Forward(xs), ys);
            l.Backward();
            opt.Step();
            loss = l.Item();
        }
        return (loss, net.Parameters().SelectMany(p => p.ToArray()).ToArray());
    }

    [Fact]
    public void Mlp_learns_a_sine()
    {
        var (loss, _) = FitSine(1500, 1);
        Assert.True(loss < 0.005f, $"final MSE {loss} should be below 0.005 (the target's variance is ~0.5)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Same_seed_and_thread_count_give_bit_identical_parameters(int threads)
    {
        var (a, b) = ThreadCount.With(threads, () => (FitSine(100, 42).Parameters, FitSine(100, 42).Parameters));
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(a[i]), BitConverter.SingleToInt32Bits(b[i]));
    }

    [Fact]
    public void A_steady_state_training_step_allocates_nothing()
    {
        var rng = new Rng(3);
        var net = new Sequential(new Linear(20, 64, rng: rng), new ReLU(), new Dropout(0.5f, rng), new Maxout(64, 16, 4, rng), new Linear(16, 1, rng: rng));
        var opt = new Sgd(net.Parameters(), 0.01f, momentum: 0.5f);
        var x = Tensor.Uniform(new Shape(32, 20), -1, 1, rng);
        void Step()
        {
            using var _ = TensorScope.Begin();
            opt.ZeroGrad();
            var loss = net.Forward(x).BceWithLogits(1f);
            loss.Backward();
            opt.Step();
        }
        for (int i = 0; i < 5; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
