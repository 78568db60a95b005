using GanSharp.Gan;
using GanSharp.Kernels;
using GanSharp.Nn;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;

namespace GanSharp.Tests.Gan;

public class ObjectiveTests
{
    private static readonly float[] Real = [2f, -0.5f, 0.3f], Fake = [-1f, 0.8f, 1.6f];

    private static float D(string name) => GanObjective.Create(name).DiscriminatorLoss(Tensor.From(Real, 3, 1), Tensor.From(Fake, 3, 1)).Item();
    private static float G(string name) => GanObjective.Create(name).GeneratorLoss(Tensor.From(Fake, 3, 1)).Item();

    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Losses_match_their_definitions()
    {
        Assert.Equal(-Real.Average(r => Math.Log(Sig(r))) - Fake.Average(f => Math.Log(1 - Sig(f))), D("non-saturating"), 5);
        Assert.Equal(-Fake.Average(f => Math.Log(Sig(f))), G("non-saturating"), 5);
        Assert.Equal(Fake.Average(f => Math.Log(1 - Sig(f))), G("minimax"), 5);
        Assert.Equal(0.5 * Real.Average(r => (r - 1) * (r - 1)) + 0.5 * Fake.Average(f => f * f), D("least-squares"), 5);
        Assert.Equal(0.5 * Fake.Average(f => (f - 1) * (f - 1)), G("least-squares"), 5);
        Assert.Equal(Fake.Average() - Real.Average(), D("wasserstein"), 5);
        Assert.Equal(-Fake.Average(), G("wasserstein"), 5);
        Assert.Equal(Real.Average(r => Math.Max(0, 1 - r)) + Fake.Average(f => Math.Max(0, 1 + f)), D("hinge"), 5);
        Assert.Equal(-Fake.Average(), G("hinge"), 5);
    }

    [Theory]
    [InlineData("minimax")]
    [InlineData("non-saturating")]
    [InlineData("least-squares")]
    [InlineData("wasserstein")]
    [InlineData("hinge")]
    public void Objective_gradients_match_finite_differences(string name)
    {
        var objective = GanObjective.Create(name);
        var real = Tensor.From([1.7f, -0.45f, 0.35f, 0.6f], 4, 1);
        var fake = Tensor.From([-1.2f, 0.75f, -0.35f, 1.6f], 4, 1); // away from the hinge kinks at +-1
        real.RequiresGrad = true;
        fake.RequiresGrad = true;
        Check(t => objective.DiscriminatorLoss(t[0], t[1]), real, fake);
        Check(t => objective.GeneratorLoss(t[0]), fake);
    }

    [Fact]
    public void Gradient_penalty_matches_finite_difference_input_gradients_and_its_own_gradient()
    {
        var rng = new Rng(21);
        var critic = new Sequential(new Linear(3, 8, rng: rng), new LeakyReLU(0.2f), new Linear(8, 1, rng: rng));
        var real = Tensor.Uniform(new Shape(5, 3), -1, 1, rng);
        var fake = Tensor.Uniform(new Shape(5, 3), -1, 1, rng);
        var gp = new Regularizer(RegularizerKind.GradientPenalty, 10f);
        Tensor Penalty() => gp.Penalty(critic.Forward, real, fake, new Rng(5))!;

        // Reference: the same interpolates, with grad_x D by central differences on each coordinate.
        var e = new float[5];
        new Rng(5).FillUniform(e, 0f, 1f);
        double expected = 0;
        const float h = 1e-2f;
        for (int i = 0; i < 5; i++)
        {
            var point = new float[3];
            for (int k = 0; k < 3; k++) point[k] = e[i] * real.At(i, k) + (1 - e[i]) * fake.At(i, k);
            double squared = 0;
            for (int k = 0; k < 3; k++)
            {
                var plus = (float[])point.Clone(); plus[k] += h;
                var minus = (float[])point.Clone(); minus[k] -= h;
                double g = (critic.Forward(Tensor.From(plus, 1, 3)).Item() - critic.Forward(Tensor.From(minus, 1, 3)).Item()) / (2 * h);
                squared += g * g;
            }
            expected += Math.Pow(Math.Sqrt(squared) - 1, 2);
        }
        expected = 10 * expected / 5;
        Assert.Equal(expected, Penalty().Item(), 2);

        // Its gradient with respect to the critic's weights (through double backward) against finite differences.
        CheckParameters(Penalty, critic.Parameters(), atol: 1e-2f, rtol: 1e-2f);
    }

    [Fact]
    public void R1_is_half_the_weighted_squared_input_gradient_on_real_data()
    {
        // D(x) = w.x + b has grad w everywhere, so R1 = weight / 2 * ||w||^2 exactly.
        var lin = new Linear(3, 1);
        lin.Weight.Span[0] = 0.5f; lin.Weight.Span[1] = -1f; lin.Weight.Span[2] = 2f;
        var r1 = new Regularizer(RegularizerKind.R1, 10f);
        var real = Tensor.Uniform(new Shape(4, 3), -1, 1, new Rng(1));
        var value = r1.Penalty(lin.Forward, real, real, new Rng(1))!.Item();
        Assert.Equal(5f * (0.25f + 1f + 4f), value, 4);
    }
}
