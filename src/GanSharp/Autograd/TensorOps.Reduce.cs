using GanSharp.Autograd;
using GanSharp.Kernels;

namespace GanSharp.Tensors;

// Reductions and broadcasting. Every reduction is SumTo (the adjoint of BroadcastTo) plus a view.
public partial class Tensor
{
    /// <summary>Sums over the dimensions that <paramref name="shape"/> broadcasts (the gradient of broadcasting).</summary>
    public Tensor SumTo(in Shape shape)
    {
        if (shape == Shape) return this;
        if (Shape.Broadcast(shape, Shape, "sum_to") != Shape)
            throw new ArgumentException($"sum_to: shape {Shape} cannot be reduced to {shape}.");
        var x = Contiguous();
        var r = Allocate(shape, zero: false);
        BroadcastKernels.SumTo(x.Span, x.Shape, r.Span, shape);
        return Record(r, OpCode.SumTo, x);
    }

    /// <summary>Repeats this tensor along broadcast dimensions to <paramref name="shape"/>.</summary>
    public Tensor BroadcastTo(in Shape shape)
    {
        if (shape == Shape) return this;
        if (Shape.Broadcast(Shape, shape, "broadcast_to") != shape)
            throw new ArgumentException($"broadcast_to: shape {Shape} cannot be broadcast to {shape}.");
        var x = Contiguous();
        var r = Allocate(shape, zero: false);
        BroadcastKernels.BroadcastTo(x.Span, x.Shape, r.Span, shape);
        return Record(r, OpCode.BroadcastTo, x);
    }

    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public Tensor Sum() => SumTo(new Shape());

    public Tensor Sum(int axis, bool keepDim = false)
    {
        int a = Shape.Axis(axis, "sum");
        var kept = SumTo(Shape.With(a, 1));
        return keepDim ? kept : kept.Reshape(Shape.Without(a));
    }

    public Tensor Mean() => Sum().MulScalar(1f / Length);

    public Tensor Mean(int axis, bool keepDim = false)
    {
        int a = Shape.Axis(axis, "mean");
        return Sum(a, keepDim).MulScalar(1f / Shape[a]);
    }
}
