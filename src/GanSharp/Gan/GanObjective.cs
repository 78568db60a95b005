using GanSharp.Tensors;

namespace GanSharp.Gan;

/// <summary>
/// The losses both players minimise, from the discriminator's raw outputs (for the sigmoid-based
/// objectives those are logits: D(x) = sigmoid(logit); for the others, critic scores).
/// </summary>
public abstract class GanObjective
{
    public abstract string Name { get; }

    /// <summary>True when D's output is a logit of a probability (so mean sigmoid is a meaningful D(x)).</summary>
    public virtual bool OutputsProbability => false;

    public abstract Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    public abstract Tensor GeneratorLoss(Tensor fakeLogits);

    public static readonly string[] Names = ["minimax", "non-saturating", "least-squares", "wasserstein", "hinge"];

    /// <summary>Objective by its config name.</summary>
    public static GanObjective Create(string name) => name switch
    {
        "minimax" => new MinimaxObjective(nonSaturating: false),
        "non-saturating" => new MinimaxObjective(nonSaturating: true),
        "least-squares" => new LeastSquaresObjective(),
        "wasserstein" => new WassersteinObjective(),
        "hinge" => new HingeObjective(),
        _ => throw new ArgumentException($"Unknown objective '{name}'; allowed: {string.Join(", ", Names)}."),
    };
}

/// <summary>
/// Goodfellow et al. 2014: D maximises log D(x) + log(1 - D(G(z))) (its loss is the binary
/// cross-entropy with real = 1, fake = 0). G minimises log(1 - D(G(z))) (minimax), or, as the paper
/// recommends for strong early gradients, maximises log D(G(z)) (non-saturating).
/// </summary>
public sealed class MinimaxObjective(bool nonSaturating) : GanObjective
{
    public bool NonSaturating { get; } = nonSaturating;

    public override string Name => NonSaturating ? "non-saturating" : "minimax";

    public override bool OutputsProbability => true;

    public override Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        realLogits.BceWithLogits(1f) + fakeLogits.BceWithLogits(0f);

    // minimax: mean log(1 - sigmoid(l)) = -BCE(l, 0); non-saturating: -mean log sigmoid(l) = BCE(l, 1).
    public override Tensor GeneratorLoss(Tensor fakeLogits) =>
        NonSaturating ? fakeLogits.BceWithLogits(1f) : fakeLogits.BceWithLogits(0f).Neg();
}

/// <summary>LSGAN (Mao et al. 2017) with targets a = 0, b = c = 1: D: (D(x) - 1)^2 / 2 + D(G(z))^2 / 2; G: (D(G(z)) - 1)^2 / 2.</summary>
public sealed class LeastSquaresObjective : GanObjective
{
    public override string Name => "least-squares";

    public override Tensor DiscriminatorLoss(Tensor real, Tensor fake) =>
        ((real - 1f).Square().Mean() + fake.Square().Mean()) * 0.5f;

    public override Tensor GeneratorLoss(Tensor fake) => (fake - 1f).Square().Mean() * 0.5f;
}

/// <summary>
/// WGAN (Arjovsky et al. 2017): the critic maximises E[D(x)] - E[D(G(z))], G maximises E[D(G(z))].
/// The critic must be kept Lipschitz: by weight clipping or a gradient penalty (see <see cref="Regularizer"/>).
/// </summary>
public sealed class WassersteinObjective : GanObjective
{
    public override string Name => "wasserstein";

    public override Tensor DiscriminatorLoss(Tensor real, Tensor fake) => fake.Mean() - real.Mean();

    public override Tensor GeneratorLoss(Tensor fake) => fake.Mean().Neg();
}

/// <summary>Hinge loss (Lim and Ye 2017; SAGAN, BigGAN): D: relu(1 - D(x)) + relu(1 + D(G(z))); G: -D(G(z)).</summary>
public sealed class HingeObjective : GanObjective
{
    public override string Name => "hinge";

    public override Tensor DiscriminatorLoss(Tensor real, Tensor fake) =>
        (1f - real).Relu().Mean() + (fake + 1f).Relu().Mean();

    public override Tensor GeneratorLoss(Tensor fake) => fake.Mean().Neg();
}
