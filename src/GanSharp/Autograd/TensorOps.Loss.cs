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
}
