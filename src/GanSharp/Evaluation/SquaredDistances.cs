using GanSharp.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Evaluation;

/// <summary>
/// Squared Euclidean distances between rows of two matrices through one GEMM:
/// ||x - y||^2 = ||x||^2 + ||y||^2 - 2 x.y. Callers process points in chunks to bound memory.
/// </summary>
internal static class SquaredDistances
{
    public static float[] RowNorms(ReadOnlySpan<float> rows, int dimension)
    {
        var norms = new float[rows.Length / dimension];
        for (int i = 0; i < norms.Length; i++) norms[i] = TensorPrimitives.SumOfSquares(rows.Slice(i * dimension, dimension));
        return norms;
    }

    /// <summary>distances[r, i] = ||points[r] - references[i]||^2 for <paramref name="count"/> points starting at row <paramref name="first"/>.</summary>
    public static unsafe void Compute(ReadOnlySpan<float> points, int first, int count, ReadOnlySpan<float> references, ReadOnlySpan<float> referenceNorms,
        int dimension, Span<float> distances)
    {
        int n = referenceNorms.Length;
        fixed (float* pp = points, pr = references, pd = distances)
            Gemm.Sgemm(false, true, count, n, dimension, -2f, pp + (long)first * dimension, dimension, pr, dimension, 0f, pd, n);
        for (int r = 0; r < count; r++)
        {
            var row = distances.Slice(r * n, n);
            float norm = TensorPrimitives.SumOfSquares(points.Slice((first + r) * dimension, dimension));
            TensorPrimitives.Add(row, referenceNorms, row);
            TensorPrimitives.Add(row, norm, row);
            TensorPrimitives.Max(row, 0f, row); // rounding can make tiny distances negative
        }
    }
}
