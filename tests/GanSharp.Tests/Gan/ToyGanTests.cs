using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Tests.Gan;

/// <summary>The 1-D Gaussian study, trained for real.</summary>
public class ToyGanTests
{
    /// <summary>The toy1d preset (PacGAN 4, two time-scale Adam, G weight average) with a seed.</summary>
    internal static GanTrainer BuildToy(ulong seed) => GanFactory.CreateTrainer(ConfigSource.Load("toy1d", seed: seed));

    internal static (double Mean, double Std) GeneratorMoments(GanTrainer trainer, int n = 10000)
    {
        using var _ = TensorScope.Begin();
        using var __ = GradMode.NoGrad();
        var x = trainer.SamplingGenerator.Forward(trainer.Noise.Sample(n, new Rng(123))).ToArray();
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
        // Fewer steps than the preset's 10,000, but real training: the spike G starts as must spread out.
        for (int i = 0; i < 6000; i++) trainer.TrainStep();
        var (mean, std) = GeneratorMoments(trainer);
        Assert.True(Math.Abs(mean - 4.0) < 0.1, $"seed {seed}: G mean {mean:F3}, data mean 4");
        Assert.True(Math.Abs(std - 0.5) < 0.1, $"seed {seed}: G std {std:F3}, data std 0.5");
    }

    [Theory]
    [InlineData("toy1d")]
    [InlineData("toy1d-plain")]
    [InlineData("ring2d")]
    public void A_warm_training_step_allocates_nothing(string preset)
    {
        var trainer = GanFactory.CreateTrainer(ConfigSource.Load(preset));
        for (int i = 0; i < 20; i++) trainer.TrainStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) trainer.TrainStep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_trainer_announces_steps_evaluations_and_checkpoints_and_prints_nothing()
    {
        var trainer = GanFactory.CreateTrainer(ConfigSource.Load("toy1d-plain", settings: ["output.sample_every=3", "output.checkpoint_every=5"]));
        var steps = new List<int>();
        var evaluations = new List<int>();
        var checkpoints = new List<int>();
        trainer.StepCompleted += m => steps.Add(m.Step);
        trainer.EvaluationDue += evaluations.Add;
        trainer.CheckpointDue += checkpoints.Add;
        var console = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try { for (int i = 0; i < 10; i++) trainer.TrainStep(); }
        finally { Console.SetOut(console); }
        Assert.Equal(Enumerable.Range(1, 10), steps);
        Assert.Equal([3, 6, 9], evaluations);
        Assert.Equal([5, 10], checkpoints);
        Assert.Equal("", captured.ToString());
    }
}
