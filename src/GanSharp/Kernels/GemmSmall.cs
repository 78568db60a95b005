using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Kernels;

/// <summary>
/// Direct loops for GEMMs too small to repay packing and a thread hand-off: the 1-32-32-1 layers of
/// the toy GAN, and matrix-vector shapes (a layer with one output, a gradient with one row), where the
/// 6x16 tiles would be mostly padding. Single-threaded and shape-selected, so results stay deterministic.
/// </summary>
internal static unsafe class GemmSmall
{
    private const long MaxWork = 48 * 1024;      // m*n*k below which packing costs more than it saves
    private const long MaxVectorWork = 4 << 20;  // matrix-vector shapes up to this much work
    private const int MaxRow = 4096;             // stack buffers hold one row of A and one of C

    public static bool Applies(int m, int n, int k)
    {
        long work = (long)m * n * k;
        return k <= MaxRow && n <= MaxRow && (work <= MaxWork || ((n <= 2 || m <= 2) && work <= MaxVectorWork));
    }

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, float* bias, Activation act, float slope)
    {
        float* rowA = stackalloc float[k];
        float* acc = stackalloc float[n];
        var accSpan = new Span<float>(acc, n);
        for (int i = 0; i < m; i++)
        {
            // Row i of op(A), contiguous.
            float* ai = a + (long)i * lda;
            if (transA)
            {
                for (int p = 0; p < k; p++) rowA[p] = a[(long)p * lda + i];
                ai = rowA;
            }
            var aSpan = new ReadOnlySpan<float>(ai, k);
            if (!transB)
            {
                // C_i = sum_p A[i, p] B_p: axpy over the contiguous rows of B.
                accSpan.Clear();
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + (long)p * ldb, n), ai[p], accSpan, accSpan);
            }
            else
            {
                // B^T: C[i, j] = A_i . B_j, both contiguous.
                for (int j = 0; j < n; j++) acc[j] = TensorPrimitives.Dot(aSpan, new ReadOnlySpan<float>(b + (long)j * ldb, k));
            }
            float* ci = c + (long)i * ldc;
            var cSpan = new Span<float>(ci, n);
            if (beta == 0f) TensorPrimitives.Multiply(accSpan, alpha, cSpan);
            else
            {
                TensorPrimitives.Multiply(cSpan, beta, cSpan);
                TensorPrimitives.MultiplyAdd(accSpan, alpha, cSpan, cSpan);
            }
            if (bias != null || act != Activation.Identity) GemmEpilogue.Row(ci, n, bias, act, slope);
        }
    }
}
