using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// Inverted dropout: in training, zeroes each element with probability p and scales the rest by
/// 1/(1-p), so evaluation needs no rescaling. p is the drop probability, as in PyTorch
/// (pylearn2's "include probability" is 1 - p).
/// </summary>
public sealed class Dropout : Module
{
    private readonly Rng _rng;

    public float P { get; }

    public Dropout(float p = 0.5f, Rng? rng = null)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentException($"Dropout probability must be in [0, 1); got {p}.");
        P = p;
        _rng = rng ?? Rng.Shared;
    }

    public override Tensor Forward(Tensor input)
    {
        if (!IsTraining || P == 0f) return input;
        var mask = Tensor.Zeros(input.Shape);
        _rng.FillBernoulliMask(mask.Span, 1f - P, 1f / (1f - P));
        return input * mask;
    }
}
