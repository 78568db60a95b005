using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Tests.Gan;

/// <summary>The 1-D Gaussian study, trained for real.</summary>
public class ToyGanTests
{
    internal static GanTrainer BuildToy(ulong seed, string objective = "non-saturating", double mean = 4, double std = 0.5)
    {
        var rng = new Rng(seed);
        var g = new Sequential(new Linear(1, 32, rng: rng), new Softplus(), new Linear(32, 32, rng: rng), new Softplus(), new Linear(32, 1, rng: rng));
        var d = new Sequential(new Linear(1, 32, rng: rng), new Tanh(), new Linear(32, 32, rng: rng), new Tanh(), new Linear(32, 1, rng: rng));
        return new GanTrainer(
            new Player(g, new Adam(g.Parameters(), 1e-3f, 0.5f, 0.999f)),
            new Player(d, new Adam(d.Parameters(), 1e-3f, 0.5f, 0.999f)),
            new Gaussian1D(mean, std), new NoisePrior(NoiseKind.Uniform, 1), GanObjective.Create(objective),
            k: 1, batchSize: 128, rng);
    }

    internal static (double Mean, double Std) GeneratorMoments(GanTrainer trainer, int n = 10000)
    {
        using var _ = TensorScope.Begin();
        using var __ = GradMode.NoGrad();
        var x = trainer.Generator.Network.Forward(trainer.Noise.Sample(n, new Rng(123))).ToArray();
        double mean = x.Average();
        return (mean, Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average()));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Non_saturating_generator_matches_the_data_moments(ulong seed)
    {
        var trainer = BuildToy(seed);
        for (int i = 0; i < 4000; i++) trainer.TrainStep();
        var (mean, std) = GeneratorMoments(trainer);
        Assert.True(Math.Abs(mean - 4.0) < 0.1, $"seed {seed}: G mean {mean:F3}, data mean 4");
        Assert.True(Math.Abs(std - 0.5) < 0.1, $"seed {seed}: G std {std:F3}, data std 0.5");
    }
}
