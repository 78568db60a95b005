using GanSharp.Tensors;

namespace GanSharp.Gan;

/// <summary>
/// The losses both players minimise, from the discriminator's raw outputs (logits for the
/// sigmoid-based objectives: D(x) = sigmoid(logit)).
/// </summary>
public abstract class GanObjective
{
    public abstract string Name { get; }

    public abstract Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    public abstract Tensor GeneratorLoss(Tensor fakeLogits);

    /// <summary>Objective by its config name.</summary>
    public static GanObjective Create(string name) => name switch
    {
        "minimax" => new MinimaxObjective(nonSaturating: false),
        "non-saturating" => new MinimaxObjective(nonSaturating: true),
        _ => throw new ArgumentException($"Unknown objective '{name}'; allowed: {string.Join(", ", Names)}."),
    };

    public static readonly string[] Names = ["minimax", "non-saturating"];
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

    public override Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits) =>
        realLogits.BceWithLogits(1f) + fakeLogits.BceWithLogits(0f);

    // minimax: mean log(1 - sigmoid(l)) = -BCE(l, 0); non-saturating: -mean log sigmoid(l) = BCE(l, 1).
    public override Tensor GeneratorLoss(Tensor fakeLogits) =>
        NonSaturating ? fakeLogits.BceWithLogits(1f) : fakeLogits.BceWithLogits(0f).Neg();
}
