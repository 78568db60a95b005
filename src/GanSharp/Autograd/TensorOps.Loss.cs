using GanSharp.Autograd;

namespace GanSharp.Tensors;

// Fused losses whose forward needs care for numerical stability.
public partial class Tensor
{
    /// <summary>
    /// Mean binary cross-entropy between sigmoid(this) and a constant target tensor, computed on logits
    /// so it stays finite for any logit (PyTorch's BCEWithLogitsLoss).
    /// </summary>
    public Tensor BceWithLogits(Tensor target)
    {
        if (target.Shape != Shape) throw new ArgumentException($"bce_with_logits: logits {Shape} and target {target.Shape} differ.");
        var x = Contiguous();
        var t = target.Contiguous();
        var r = Allocate(new Shape(), zero: false);
        r.Span[0] = Kernels.ElementwiseKernels.BceWithLogits(x.Span, t.Span, 0f);
        r._aux = t;
        return Record(r, OpCode.BceWithLogits, x);
    }

    /// <summary>Mean binary cross-entropy on logits against the same target for every element (1 = real, 0 = fake).</summary>
    public Tensor BceWithLogits(float target)
    {
        var x = Contiguous();
        var r = Allocate(new Shape(), zero: false);
        r.Span[0] = Kernels.ElementwiseKernels.BceWithLogits(x.Span, default, target);
        r._f0 = target;
        return Record(r, OpCode.BceWithLogits, x);
    }

    /// <summary>
    /// Mean softmax cross-entropy of logits [N, C] against class indices (PyTorch's CrossEntropyLoss), built
    /// from primitive ops: logsumexp(row) - row[target], with each row shifted by its (constant) maximum.
    /// </summary>
    public Tensor CrossEntropy(ReadOnlySpan<int> targets)
    {
        if (Rank != 2 || targets.Length != Shape[0])
            throw new ArgumentException($"cross_entropy: logits {Shape} must be [N, C] with one target per row; got {targets.Length} targets.");
        int n = Shape[0], c = Shape[1];
        var x = Contiguous();
        var rowMax = Zeros(n, 1);
        var oneHot = Zeros(n, c);
        var xs = x.Span;
        for (int i = 0; i < n; i++)
        {
            if ((uint)targets[i] >= (uint)c) throw new ArgumentException($"cross_entropy: target {targets[i]} of row {i} is outside [0, {c}).");
            rowMax.Span[i] = System.Numerics.Tensors.TensorPrimitives.Max(xs.Slice(i * c, c));
            oneHot.Span[i * c + targets[i]] = 1f;
        }
        var shifted = x - rowMax;
        return (shifted.Exp().Sum(1, keepDim: true).Log() - (shifted * oneHot).Sum(1, keepDim: true)).Mean();
    }
}
