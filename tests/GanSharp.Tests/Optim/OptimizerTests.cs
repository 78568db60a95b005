using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Tests.Optim;

[Collection("ComputeThreads")]
public class OptimizerTests
{
    private static Parameter Param(params float[] values)
    {
        var p = new Parameter(values.Length);
        values.CopyTo(p.Span);
        return p;
    }

    private static void SetGrad(Parameter p, params float[] g)
    {
        p.Grad ??= Tensor.Persistent(p.Shape);
        g.CopyTo(p.Grad.Span);
    }

    [Fact]
    public void Sgd_with_momentum_follows_the_torch_update()
    {
        var p = Param(1f, -2f);
        var opt = new Sgd([p], learningRate: 0.1f, momentum: 0.5f);
        double[] v = [0, 0], x = [1, -2];
        double[][] grads = [[0.3, -0.1], [0.2, 0.4], [-0.5, 0.0]];
        foreach (var g in grads)
        {
            SetGrad(p, g.Select(e => (float)e).ToArray());
            opt.Step();
            for (int i = 0; i < 2; i++) { v[i] = 0.5 * v[i] + g[i]; x[i] -= 0.1 * v[i]; }
        }
        Assert.Equal(x[0], p.Span[0], 5);
        Assert.Equal(x[1], p.Span[1], 5);
    }

    [Fact]
    public void Adam_matches_a_double_precision_reference()
    {
        var p = Param(0.5f, -1.5f, 2f);
        var opt = new Adam([p], learningRate: 0.01f, beta1: 0.5f, beta2: 0.999f);
        double[] x = [0.5, -1.5, 2], m = new double[3], s = new double[3];
        for (int t = 1; t <= 5; t++)
        {
            var g = x.Select(e => 2 * e + 0.1 * t).ToArray();
            SetGrad(p, g.Select(e => (float)e).ToArray());
            opt.Step();
            for (int i = 0; i < 3; i++)
            {
                m[i] = 0.5 * m[i] + 0.5 * g[i];
                s[i] = 0.999 * s[i] + 0.001 * g[i] * g[i];
                double mh = m[i] / (1 - Math.Pow(0.5, t)), sh = s[i] / (1 - Math.Pow(0.999, t));
                x[i] -= 0.01 * mh / (Math.Sqrt(sh) + 1e-8);
            }
        }
        for (int i = 0; i < 3; i++) Assert.Equal(x[i], p.Span[i], 4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Adam_on_a_large_tensor_matches_the_scalar_update_exactly(int threads)
    {
        // 40,003 values: split among threads, vectors plus a scalar tail; weight decay on.
        const int length = 40_003;
        var rng = new Random(7);
        var p = new Parameter(length);
        for (int i = 0; i < length; i++) p.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        float[] x = p.Span.ToArray(), m = new float[length], v = new float[length];
        var opt = new Adam([p], learningRate: 2e-4f, beta1: 0.5f, beta2: 0.999f, weightDecay: 0.01f);
        ThreadCount.With(threads, () =>
        {
            for (int t = 1; t <= 3; t++)
            {
                var g = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
                SetGrad(p, g);
                opt.Step();
                float stepSize = 2e-4f / (1f - MathF.Pow(0.5f, t)), invSqrtC2 = 1f / MathF.Sqrt(1f - MathF.Pow(0.999f, t));
                for (int i = 0; i < length; i++)
                {
                    float gi = g[i] + 0.01f * x[i];
                    m[i] = 0.5f * m[i] + (1f - 0.5f) * gi;
                    v[i] = 0.999f * v[i] + (1f - 0.999f) * gi * gi;
                    x[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtC2 + 1e-8f);
                }
            }
            return 0;
        });
        Assert.Equal(x, p.Span.ToArray());
    }

    [Fact]
    public void Exponential_decay_divides_each_step_and_stops_at_the_floor()
    {
        var opt = new Sgd([Param(0f)], learningRate: 0.1f);
        var decay = new ExponentialDecay(opt, 1.000004f, 0.09999f);
        decay.Step();
        Assert.Equal(0.1 / 1.000004, opt.LearningRate, 7);
        for (int i = 0; i < 1000; i++) decay.Step();
        Assert.Equal(0.09999f, opt.LearningRate);
    }

    [Fact]
    public void Momentum_ramps_linearly_between_the_epochs()
    {
        var opt = new Sgd([Param(0f)], learningRate: 0.1f, momentum: 0.5f);
        var ramp = new MomentumRamp(opt, 0.5f, 0.7f, startEpoch: 1, saturateEpoch: 250);
        Assert.Equal(0.5f, ramp.MomentumAt(0));
        Assert.Equal(0.5f, ramp.MomentumAt(1));
        Assert.Equal(0.6f, ramp.MomentumAt(125.5), 5);
        Assert.Equal(0.7f, ramp.MomentumAt(250));
        Assert.Equal(0.7f, ramp.MomentumAt(400));
        ramp.Update(125.5);
        Assert.Equal(0.6f, opt.Momentum, 5);
    }
}
