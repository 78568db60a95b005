using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Tests.Gan;

/// <summary>
/// The authors' update (goodfeli/adversarial): both players' gradients at the same parameters from one
/// minibatch of G(z), applied together; checked against gradients computed by hand with GradEngine.Grad.
/// </summary>
public class SimultaneousUpdateTests
{
    private const float Lr = 0.05f;
    private const int Batch = 16;
    private const ulong Seed = 5;

    private static (Sequential G, Sequential D) Networks()
    {
        var rng = new Rng(99);
        return (new Sequential(new Linear(3, 8, rng: rng), new Tanh(), new Linear(8, 1, rng: rng)),
                new Sequential(new Linear(1, 8, rng: rng), new Tanh(), new Linear(8, 1, rng: rng)));
    }

    private static GanTrainer Trainer(bool simultaneous)
    {
        var (g, d) = Networks();
        return new GanTrainer(new Player(g, new Sgd(g.Parameters(), Lr)), new Player(d, new Sgd(d.Parameters(), Lr)),
            new Gaussian1D(4, 0.5), new NoisePrior(NoiseKind.Normal, 3), GanObjective.Create("non-saturating"),
            k: 1, batchSize: Batch, new Rng(Seed)) { Simultaneous = simultaneous };
    }

    /// <summary>Parameters after one SGD step of each player from the gradients at the initial weights.</summary>
    private static (float[][] G, float[][] D) ExpectedAfterOneStep()
    {
        var (g, d) = Networks();
        var rng = new Rng(Seed);   // the trainer draws the real batch, then the noise
        var real = Tensor.Zeros(Batch, 1);
        new Gaussian1D(4, 0.5).NextBatch(real.Span, Batch, rng);
        var z = Tensor.Zeros(Batch, 3);
        new NoisePrior(NoiseKind.Normal, 3).Fill(z.Span, rng);
        var objective = GanObjective.Create("non-saturating");
        var fakeLogits = d.Forward(g.Forward(z));
        var dLoss = objective.DiscriminatorLoss(d.Forward(real), fakeLogits);
        var gLoss = objective.GeneratorLoss(fakeLogits);
        return (Stepped(gLoss, g.Parameters()), Stepped(dLoss, d.Parameters()));
    }

    private static float[][] Stepped(Tensor loss, List<Parameter> parameters)
    {
        var inputs = parameters.Cast<Tensor>().ToArray();
        var grads = new Tensor?[inputs.Length];
        GradEngine.Grad([loss], inputs, grads);
        return inputs.Select((p, i) => p.ToArray().Zip(grads[i]!.ToArray(), (w, gw) => w - Lr * gw).ToArray()).ToArray();
    }

    private static void AssertClose(float[][] expected, List<Parameter> actual, string player)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var a = actual[i].ToArray();
            for (int j = 0; j < a.Length; j++)
                Assert.True(Math.Abs(a[j] - expected[i][j]) <= 1e-6f + 1e-5f * Math.Abs(expected[i][j]),
                    $"{player} parameter {i}[{j}]: {a[j]} vs expected {expected[i][j]}");
        }
    }

    [Fact]
    public void Both_players_step_from_the_gradients_at_the_same_weights_and_the_same_fakes()
    {
        var (expectedG, expectedD) = ExpectedAfterOneStep();
        var trainer = Trainer(simultaneous: true);
        trainer.TrainStep();
        AssertClose(expectedD, trainer.Discriminator.Network.Parameters(), "D");
        AssertClose(expectedG, trainer.Generator.Network.Parameters(), "G");
    }

    [Fact]
    public void Alternating_updates_differ_because_G_sees_the_updated_D()
    {
        var (expectedG, _) = ExpectedAfterOneStep();
        var trainer = Trainer(simultaneous: false);
        trainer.TrainStep();
        var actual = trainer.Generator.Network.Parameters().SelectMany(p => p.ToArray()).ToArray();
        var expected = expectedG.SelectMany(p => p).ToArray();
        Assert.True(actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max() > 1e-4f);
    }

    [Fact]
    public void Config_selects_the_schedule_and_refuses_simultaneous_with_several_D_steps()
    {
        Assert.True(GanFactory.CreateTrainer(ConfigSource.Load("toy1d-plain", settings: ["train.updates=simultaneous"])).Simultaneous);
        Assert.False(GanFactory.CreateTrainer(ConfigSource.Load("toy1d-plain")).Simultaneous);
        var e = Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d-plain", settings: ["train.updates=simultaneous", "train.k=2"]));
        Assert.Contains("k must be 1", e.Message);
        Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d-plain", settings: ["train.updates=sometimes"]));
    }

    [Fact]
    public void A_warm_simultaneous_step_allocates_nothing()
    {
        var trainer = GanFactory.CreateTrainer(ConfigSource.Load("ring2d", settings: ["train.updates=simultaneous"]));
        for (int i = 0; i < 20; i++) trainer.TrainStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) trainer.TrainStep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
