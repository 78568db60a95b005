using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>Loss functions (PyTorch's F.binary_cross_entropy_with_logits, F.mse_loss), mean-reduced.</summary>
public static class Losses
{
    /// <summary>Binary cross-entropy of sigmoid(logits) against a constant target, stable for any logit.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target) => logits.BceWithLogits(target);

    /// <summary>Binary cross-entropy against one target value for every element (1 = real, 0 = fake).</summary>
    public static Tensor BceWithLogits(Tensor logits, float target) => logits.BceWithLogits(target);

    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        if (prediction.Shape != target.Shape) throw new ArgumentException($"mse: prediction {prediction.Shape} and target {target.Shape} differ.");
        return (prediction - target).Square().Mean();
    }
}
