using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GanSharp.Tensors;

namespace GanSharp.Kernels;

internal enum BinaryOp { Add, Sub, Mul, Div }

/// <summary>Broadcasting elementwise kernels over dense spans; rows go through TensorPrimitives.</summary>
internal static class BroadcastKernels
{
    /// <summary>out = a (op) b with NumPy broadcasting; <paramref name="output"/> has the broadcast shape.</summary>
    public static void Binary(BinaryOp op, ReadOnlySpan<float> a, in Shape shapeA, ReadOnlySpan<float> b, in Shape shapeB,
        Span<float> output, in Shape shapeOut)
    {
        var plan = BroadcastPlan.Create(shapeOut, shapeA, shapeB);
        int row = plan.RowLength, rows = plan.Rows;
        if (rows == 1 && plan.LastStrideA != 0 && plan.LastStrideB != 0)
        {
            ElementwiseSplit.Run(op, a[..row], b[..row], output[..row]); // same shapes: one long row, maybe split among threads
            return;
        }
        int sa = plan.LastStrideA, sb = plan.LastStrideB;
        Span<int> index = stackalloc int[Shape.MaxRank];
        index.Clear();
        int offA = 0, offB = 0;
        for (int r = 0; r < rows; r++)
        {
            var dst = output.Slice(r * row, row);
            if (sa != 0 && sb != 0) Row(op, a.Slice(offA, row), b.Slice(offB, row), dst);
            else if (sa != 0) RowVS(op, a.Slice(offA, row), b[offB], dst);
            else if (sb != 0) RowSV(op, a[offA], b.Slice(offB, row), dst);
            else dst.Fill(Scalar(op, a[offA], b[offB]));
            plan.Advance(index, ref offA, ref offB);
        }
    }

    /// <summary>d = x (op) y elementwise.</summary>
    public static void Row(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void RowVS(BinaryOp op, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void RowSV(BinaryOp op, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(y, x, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static float Scalar(BinaryOp op, float x, float y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        _ => x / y,
    };

    /// <summary>Sums <paramref name="input"/> over its broadcast dimensions into <paramref name="output"/> (the inverse of broadcasting).</summary>
    public static void SumTo(ReadOnlySpan<float> input, in Shape shapeIn, Span<float> output, in Shape shapeOut)
    {
        // Plan over the input's shape with the output as operand A (strides 0 where it is summed).
        var plan = BroadcastPlan.Create(shapeIn, shapeOut, shapeIn);
        output.Clear();
        int row = plan.RowLength, rows = plan.Rows, so = plan.LastStrideA;
        Span<int> index = stackalloc int[Shape.MaxRank];
        index.Clear();
        int offOut = 0, offIn = 0;
        for (int r = 0; r < rows; r++)
        {
            var src = input.Slice(r * row, row);
            if (so != 0) TensorPrimitives.Add(output.Slice(offOut, row), src, output.Slice(offOut, row));
            else output[offOut] += TensorPrimitives.Sum(src);
            plan.Advance(index, ref offOut, ref offIn);
        }
    }

    /// <summary>Expands <paramref name="input"/> to <paramref name="shapeOut"/> by broadcasting.</summary>
    public static void BroadcastTo(ReadOnlySpan<float> input, in Shape shapeIn, Span<float> output, in Shape shapeOut)
    {
        var plan = BroadcastPlan.Create(shapeOut, shapeIn, shapeOut);
        int row = plan.RowLength, rows = plan.Rows, si = plan.LastStrideA;
        Span<int> index = stackalloc int[Shape.MaxRank];
        index.Clear();
        int offIn = 0, offOut = 0;
        for (int r = 0; r < rows; r++)
        {
            var dst = output.Slice(r * row, row);
            if (si != 0) input.Slice(offIn, row).CopyTo(dst);
            else dst.Fill(input[offIn]);
            plan.Advance(index, ref offIn, ref offOut);
        }
    }
}
