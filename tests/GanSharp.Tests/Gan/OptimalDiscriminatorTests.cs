using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Gan;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Tests.Gan;

/// <summary>Proposition 1 of the paper, checked numerically: for fixed G, the trained D approaches p_data / (p_data + p_g).</summary>
public class OptimalDiscriminatorTests
{
    /// <summary>G(z) = a z + b with z ~ N(0, 1), so p_g = N(b, a^2) exactly; D is the toy's tanh MLP.</summary>
    private static GanTrainer FixedGenerator(float a, float b, ulong seed)
    {
        var rng = new Rng(seed);
        var lin = new Linear(1, 1, rng: rng);
        lin.Weight.Span[0] = a;
        lin.Bias!.Span[0] = b;
        var g = new Sequential(lin);
        var d = new Sequential(new Linear(1, 32, rng: rng), new Tanh(), new Linear(32, 32, rng: rng), new Tanh(), new Linear(32, 1, rng: rng));
        return new GanTrainer(
            new Player(g, new Sgd(g.Parameters(), 0f)),
            new Player(d, new Adam(d.Parameters(), 1e-3f)),
            new Gaussian1D(4, 0.5), new NoisePrior(NoiseKind.Normal, 1), GanObjective.Create("non-saturating"),
            k: 1, batchSize: 512, rng);
    }

    private static double Normal(double x, double mean, double std) =>
        Math.Exp(-0.5 * Math.Pow((x - mean) / std, 2)) / (std * Math.Sqrt(2 * Math.PI));

    [Fact]
    public void Trained_discriminator_approaches_the_optimal_discriminator()
    {
        var trainer = FixedGenerator(0.8f, 3.5f, 11);
        trainer.PretrainDiscriminator(3000, PretrainMode.Classify, 2e-3f);
        var curves = DensityCurves1D.Compute(trainer, 2.5, 5.0, points: 101);
        double maxErr = 0, sumErr = 0;
        for (int i = 0; i < curves.X.Length; i++)
        {
            double x = curves.X[i], pd = Normal(x, 4, 0.5), pg = Normal(x, 3.5, 0.8);
            double err = Math.Abs(curves.D[i] - pd / (pd + pg));
            maxErr = Math.Max(maxErr, err);
            sumErr += err;
        }
        // Tolerance: D is fitted from minibatch samples, so it carries sampling noise of a few percent.
        Assert.True(maxErr < 0.08, $"max |D - D*| = {maxErr:F3} on [2.5, 5]");
        Assert.True(sumErr / curves.X.Length < 0.03, $"mean |D - D*| = {sumErr / curves.X.Length:F3} on [2.5, 5]");
    }

    [Fact]
    public void Kde_estimate_of_p_g_gives_the_same_optimal_discriminator()
    {
        var trainer = FixedGenerator(0.8f, 3.5f, 12);
        var curves = DensityCurves1D.Compute(trainer, 2.5, 5.0, points: 51, samples: 20000);
        for (int i = 0; i < curves.X.Length; i++)
        {
            double x = curves.X[i], pd = Normal(x, 4, 0.5), pg = Normal(x, 3.5, 0.8);
            Assert.True(Math.Abs(curves.DStar[i] - pd / (pd + pg)) < 0.03, $"D* at x={x:F2}: {curves.DStar[i]:F3} vs {pd / (pd + pg):F3}");
        }
    }

    [Fact]
    public void When_p_g_equals_p_data_D_is_one_half_and_the_value_is_minus_log_4()
    {
        var trainer = FixedGenerator(0.5f, 4f, 13);
        trainer.PretrainDiscriminator(1500, PretrainMode.Classify, 1e-3f);
        var curves = DensityCurves1D.Compute(trainer, 3.0, 5.0, points: 41);
        Assert.All(curves.D, d => Assert.InRange(d, 0.45, 0.55));

        // V(D, G) = E_x log D(x) + E_z log(1 - D(G(z))), by Monte Carlo on 100,000 fresh samples.
        using var _ = TensorScope.Begin();
        using var __ = GradMode.NoGrad();
        var rng = new Rng(99);
        var real = Tensor.Zeros(100000, 1);
        trainer.Data.NextBatch(real.Span, 100000, rng);
        var fake = trainer.Generator.Network.Forward(trainer.Noise.Sample(100000, rng));
        double value = trainer.Judge(real).LogSigmoid().Mean().Item() + trainer.Judge(fake).Neg().LogSigmoid().Mean().Item();
        Assert.True(Math.Abs(value - -Math.Log(4)) < 0.01, $"V(D, G) = {value:F4}, -log 4 = {-Math.Log(4):F4}");
    }
}
