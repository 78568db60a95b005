using GanSharp.Autograd;
using GanSharp.Kernels;

namespace GanSharp.Tensors;

// Matrix products. Transposed views go to the GEMM as flags, never as copies.
public partial class Tensor
{
    /// <summary>2-D matrix product [m, k] x [k, n] -> [m, n].</summary>
    public Tensor MatMul(Tensor b)
    {
        if (Rank != 2 || b.Rank != 2 || Shape[1] != b.Shape[0])
            throw new ArgumentException($"matmul: shapes {Shape} and {b.Shape} are not [m, k] x [k, n].");
        var r = Allocate(new Shape(Shape[0], b.Shape[1]), zero: false);
        var a = AsGemmOperand(out bool ta, out int lda);
        var bb = b.AsGemmOperand(out bool tb, out int ldb);
        GemmInto(a, ta, lda, bb, tb, ldb, r, null, Activation.Identity, 0f);
        return Record(r, OpCode.MatMul, a, bb);
    }

    /// <summary>
    /// The fused linear layer y = act(x W^T + bias) (PyTorch's F.linear followed by an activation),
    /// with bias and activation applied in the GEMM epilogue. W is [out, in]; bias is [out] or null.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, Activation activation = Activation.Identity, float slope = 0.01f)
    {
        if (x.Rank != 2 || weight.Rank != 2 || x.Shape[1] != weight.Shape[1])
            throw new ArgumentException($"linear: input {x.Shape} and weight {weight.Shape} are not [batch, in] and [out, in].");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw new ArgumentException($"linear: bias {bias.Shape} does not match weight {weight.Shape} (expected [{weight.Shape[0]}]).");
        var r = Allocate(new Shape(x.Shape[0], weight.Shape[0]), zero: false);
        var xa = x.AsGemmOperand(out bool tx, out int ldx);
        var wt = weight.T().AsGemmOperand(out bool tw, out int ldw);
        var bc = bias?.Contiguous();
        GemmInto(xa, tx, ldx, wt, tw, ldw, r, bc, activation, slope);
        r._i0 = (int)activation;
        r._f0 = slope;
        // Record the un-transposed weight so its gradient arrives in its own [out, in] shape.
        return Record(r, OpCode.Linear, xa, weight, bc);
    }

    /// <summary>This matrix as a GEMM operand: dense rows, or a transposed view of dense rows; else a dense copy.</summary>
    private Tensor AsGemmOperand(out bool transposed, out int ld)
    {
        CheckAlive();
        int rows = Shape[0], cols = Shape[1], s0 = _strides[0], s1 = _strides[1];
        if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= cols))
        {
            transposed = false;
            ld = Math.Max(1, rows == 1 ? cols : s0);
            return this;
        }
        if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= rows))
        {
            transposed = true;
            ld = Math.Max(1, cols == 1 ? rows : s1);
            return this;
        }
        transposed = false;
        ld = Math.Max(1, cols);
        return Contiguous();
    }

    private static unsafe void GemmInto(Tensor a, bool ta, int lda, Tensor b, bool tb, int ldb, Tensor c, Tensor? bias, Activation act, float slope)
    {
        int m = c.Shape[0], n = c.Shape[1], k = a.Shape[1];
        fixed (float* pa = a._storage, pb = b._storage, pc = c._storage)
        fixed (float* pbias = bias == null ? null : bias._storage)
        {
            Gemm.Sgemm(ta, tb, m, n, k, 1f, pa + a._offset, lda, pb + b._offset, ldb, 0f, pc + c._offset, n,
                bias == null ? null : pbias + bias._offset, act, slope);
        }
    }
}
