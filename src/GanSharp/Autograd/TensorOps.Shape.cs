using GanSharp.Autograd;

namespace GanSharp.Tensors;

// Views and data movement: reshape, transpose, contiguous, concat, slice.
public partial class Tensor
{
    /// <summary>Same values, new shape; one dimension may be -1. A view when this tensor is contiguous.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        Span<int> dims = stackalloc int[shape.Length];
        shape.CopyTo(dims);
        int infer = -1, known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"reshape: only one dimension may be -1 (shape {Shape}).");
                infer = i;
            }
            else known *= dims[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"reshape: cannot infer -1 to reshape {Shape} ({Length} elements).");
            dims[infer] = Length / known;
        }
        return Reshape(new Shape(dims));
    }

    public Tensor Reshape(in Shape shape)
    {
        if (shape.Length != Length)
            throw new ArgumentException($"reshape: shape {Shape} ({Length} elements) cannot become {shape} ({shape.Length} elements).");
        var x = Contiguous();
        var v = x.ViewOf(shape);
        v.SetContiguousStrides();
        return Record(v, OpCode.View, x);
    }

    /// <summary>Flattens all dimensions after the first: [N, ...] -> [N, rest].</summary>
    public Tensor Flatten() => Reshape(Shape[0], -1);

    /// <summary>Swaps two dimensions without copying (a strided view).</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        int a = Shape.Axis(axis0, "transpose"), b = Shape.Axis(axis1, "transpose");
        var shape = Shape;
        shape.Set(a, Shape[b]);
        shape.Set(b, Shape[a]);
        var v = ViewOf(shape);
        v._strides = _strides;
        v._strides[a] = _strides[b];
        v._strides[b] = _strides[a];
        v._i0 = a;
        v._i1 = b;
        return Record(v, OpCode.Transpose, this);
    }

    /// <summary>The matrix transpose of a 2-D tensor (a view).</summary>
    public Tensor T()
    {
        if (Rank != 2) throw new InvalidOperationException($"T() needs a 2-D tensor; shape is {Shape}.");
        return Transpose(0, 1);
    }

    /// <summary>This tensor if already dense row-major, else a dense copy.</summary>
    public Tensor Contiguous()
    {
        CheckAlive();
        if (IsContiguous) return this;
        var r = Allocate(Shape, zero: false);
        Strided.CopyToContiguous(this, r.Span);
        return Record(r, OpCode.Contiguous, this);
    }

    /// <summary>Joins two tensors along <paramref name="axis"/>; all other dimensions must match.</summary>
    public static Tensor Concat(Tensor a, Tensor b, int axis)
    {
        int ax = a.Shape.Axis(axis, "concat");
        if (a.Rank != b.Rank || a.Shape.With(ax, 0) != b.Shape.With(ax, 0))
            throw new ArgumentException($"concat: shapes {a.Shape} and {b.Shape} differ outside axis {axis}.");
        var ac = a.Contiguous();
        var bc = b.Contiguous();
        var r = Allocate(a.Shape.With(ax, a.Shape[ax] + b.Shape[ax]), zero: false);
        int inner = Inner(a.Shape, ax), outer = 1;
        for (int i = 0; i < ax; i++) outer *= a.Shape[i];
        int ca = a.Shape[ax] * inner, cb = b.Shape[ax] * inner;
        var src0 = ac.Span; var src1 = bc.Span; var dst = r.Span;
        for (int o = 0; o < outer; o++)
        {
            src0.Slice(o * ca, ca).CopyTo(dst.Slice(o * (ca + cb), ca));
            src1.Slice(o * cb, cb).CopyTo(dst.Slice(o * (ca + cb) + ca, cb));
        }
        r._i0 = ax;
        return Record(r, OpCode.Concat, ac, bc);
    }

    /// <summary>Elements [start, start + length) along <paramref name="axis"/> (a copy).</summary>
    public Tensor Slice(int axis, int start, int length)
    {
        int ax = Shape.Axis(axis, "slice");
        if (start < 0 || length < 0 || start + length > Shape[ax])
            throw new ArgumentException($"slice: [{start}, {start + length}) is outside axis {axis} of shape {Shape}.");
        var x = Contiguous();
        var r = Allocate(Shape.With(ax, length), zero: false);
        CopyBlocks(x.Span, Shape[ax], start, r.Span, length, 0, length, Inner(Shape, ax));
        r._i0 = ax;
        r._i1 = start;
        return Record(r, OpCode.Slice, x);
    }

    /// <summary>Zero-pads along <paramref name="axis"/> to <paramref name="fullLength"/>, placing this tensor at <paramref name="start"/> (the adjoint of Slice).</summary>
    internal Tensor Pad(int axis, int start, int fullLength)
    {
        var x = Contiguous();
        var r = Allocate(Shape.With(axis, fullLength), zero: true);
        CopyBlocks(x.Span, Shape[axis], 0, r.Span, fullLength, start, Shape[axis], Inner(Shape, axis));
        r._i0 = axis;
        r._i1 = start;
        return Record(r, OpCode.Pad, x);
    }

    private static int Inner(in Shape s, int axis)
    {
        int inner = 1;
        for (int i = axis + 1; i < s.Rank; i++) inner *= s[i];
        return inner;
    }

    /// <summary>Copies <paramref name="count"/> slices along an axis between two tensors that differ only in that axis' length.</summary>
    private static void CopyBlocks(ReadOnlySpan<float> src, int srcAxisLen, int srcStart, Span<float> dst, int dstAxisLen, int dstStart, int count, int inner)
    {
        int outer = srcAxisLen * inner == 0 ? 0 : src.Length / (srcAxisLen * inner);
        for (int o = 0; o < outer; o++)
            src.Slice((o * srcAxisLen + srcStart) * inner, count * inner)
               .CopyTo(dst.Slice((o * dstAxisLen + dstStart) * inner, count * inner));
    }
}
