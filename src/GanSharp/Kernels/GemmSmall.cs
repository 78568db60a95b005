using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanSharp.Kernels;

/// <summary>
/// Direct kernels for GEMMs too small to repay packing and a thread hand-off: the 1-32-32-1 layers of
/// the toy GAN (128 x 32 x 32), and matrix-vector shapes (a layer with one output, a gradient with one
/// row), where the 6x16 tiles would be mostly padding. op(B) is read in place (or transposed once into
/// an L1-sized buffer) and C is computed in 4 x 32 register tiles. Single-threaded and shape-selected,
/// so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmSmall
{
    private const long MaxWork = 256 * 1024;     // m*n*k below which packing costs more than it saves
    private const int MaxPanel = 8 * 1024;       // floats of op(B) (k x n): 32 KB, one L1 data cache
    private const long MaxVectorWork = 4 << 20;  // matrix-vector shapes up to this much work
    private const int MaxRow = 4096;             // stack buffers hold one row of A
    private const int TileRows = 4, TileCols = 32;

    public static bool Applies(int m, int n, int k)
    {
        long work = (long)m * n * k;
        if (k > MaxRow || n > MaxRow) return false;
        if (work <= MaxWork && (long)k * n <= MaxPanel) return true;
        return (n <= 2 || m <= 2) && work <= MaxVectorWork;
    }

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, float* bias, Activation act, float slope)
    {
        if (n <= 2)
        {
            FewColumns(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        else if (transB && m <= 2)
        {
            DotRows(transA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        else
        {
            if (transB)
            {
                // B^T into a k x n buffer so that rows of op(B) are contiguous for the tiles.
                float* bt = stackalloc float[k * n];
                for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) bt[p * n + j] = b[(long)j * ldb + p];
                b = bt;
                ldb = n;
            }
            // Element (i, p) of op(A) sits at a[i * rowStride + p * colStride].
            long rowStride = transA ? 1 : lda, colStride = transA ? lda : 1;
            for (int i0 = 0; i0 < m; i0 += TileRows)
            {
                int rows = Math.Min(TileRows, m - i0);
                for (int j0 = 0; j0 < n; j0 += TileCols)
                {
                    int cols = Math.Min(TileCols, n - j0);
                    float* ai = a + i0 * rowStride;
                    float* cij = c + (long)i0 * ldc + j0;
                    if (rows == TileRows && cols == TileCols && Vector256.IsHardwareAccelerated)
                        Tile4x32(k, alpha, ai, rowStride, colStride, b + j0, ldb, beta, cij, ldc);
                    else
                        EdgeTile(rows, cols, k, alpha, ai, rowStride, colStride, b + j0, ldb, beta, cij, ldc);
                }
            }
        }
        if (bias != null || act != Activation.Identity)
            for (int i = 0; i < m; i++) GemmEpilogue.Row(c + (long)i * ldc, n, bias, act, slope);
    }

    /// <summary>16 accumulators: per k step, 4 loads of B's row and 4 broadcasts of A feed 16 FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x32(int k, float alpha, float* a, long rs, long cs, float* b, int ldb, float beta, float* c, int ldc)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        for (int p = 0; p < k; p++)
        {
            float* bp = b + (long)p * ldb;
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 8);
            var b2 = Vector256.Load(bp + 16);
            var b3 = Vector256.Load(bp + 24);
            float* ap = a + p * cs;
            var a0 = Vector256.Create(ap[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(a0, b2, c02); c03 = Vector256.FusedMultiplyAdd(a0, b3, c03);
            var a1 = Vector256.Create(ap[rs]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(a1, b2, c12); c13 = Vector256.FusedMultiplyAdd(a1, b3, c13);
            var a2 = Vector256.Create(ap[2 * rs]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            c22 = Vector256.FusedMultiplyAdd(a2, b2, c22); c23 = Vector256.FusedMultiplyAdd(a2, b3, c23);
            var a3 = Vector256.Create(ap[3 * rs]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            c32 = Vector256.FusedMultiplyAdd(a3, b2, c32); c33 = Vector256.FusedMultiplyAdd(a3, b3, c33);
        }
        StoreRow(c, alpha, beta, c00, c01, c02, c03);
        StoreRow(c + ldc, alpha, beta, c10, c11, c12, c13);
        StoreRow(c + 2L * ldc, alpha, beta, c20, c21, c22, c23);
        StoreRow(c + 3L * ldc, alpha, beta, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, float alpha, float beta, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3)
    {
        Store(c, alpha, beta, v0);
        Store(c + 8, alpha, beta, v1);
        Store(c + 16, alpha, beta, v2);
        Store(c + 24, alpha, beta, v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float alpha, float beta, Vector256<float> acc)
    {
        var r = acc * alpha;
        if (beta != 0f) r = Vector256.FusedMultiplyAdd(Vector256.Load(c), Vector256.Create(beta), r);
        Vector256.Store(r, c);
    }

    /// <summary>Ragged tiles (fewer than 4 rows or 32 columns): one row at a time, 8 columns per vector.</summary>
    private static void EdgeTile(int rows, int cols, int k, float alpha, float* a, long rs, long cs, float* b, int ldb, float beta, float* c, int ldc)
    {
        for (int r = 0; r < rows; r++)
        {
            float* ar = a + r * rs;
            float* cr = c + (long)r * ldc;
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j + 8 <= cols; j += 8)
                {
                    var acc = Vector256<float>.Zero;
                    for (int p = 0; p < k; p++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(ar[p * cs]), Vector256.Load(b + (long)p * ldb + j), acc);
                    Store(cr + j, alpha, beta, acc);
                }
            for (; j < cols; j++)
            {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc = MathF.FusedMultiplyAdd(ar[p * cs], b[(long)p * ldb + j], acc);
                cr[j] = beta == 0f ? alpha * acc : MathF.FusedMultiplyAdd(beta, cr[j], alpha * acc);
            }
        }
    }

    /// <summary>
    /// One or two columns in C (a layer with one output, or its input gradient): op(B)'s columns are
    /// gathered once; then each entry is a dot product with a row of A, or, for A^T, rows of A are
    /// accumulated (axpy), so A is always read along its contiguous rows.
    /// </summary>
    private static void FewColumns(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        float* cols = stackalloc float[2 * k];
        for (int j = 0; j < n; j++)
        for (int p = 0; p < k; p++) cols[j * k + p] = transB ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
        if (!transA)
        {
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) Write(c + (long)i * ldc + j, alpha * Dot(a + (long)i * lda, cols + j * k, k), beta);
            return;
        }
        if (m > MaxRow)
        {
            DotRows(transA, m, n, k, alpha, a, lda, cols, k, beta, c, ldc);
            return;
        }
        float* acc = stackalloc float[2 * m];
        new Span<float>(acc, n * m).Clear();
        for (int p = 0; p < k; p++)
        for (int j = 0; j < n; j++) Axpy(cols[j * k + p], a + (long)p * lda, acc + j * m, m);
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) Write(c + (long)i * ldc + j, alpha * acc[j * m + i], beta);
    }

    // Inline loops: at these lengths (tens of floats) a TensorPrimitives call costs more than its work.
    private static float Dot(float* x, float* y, int k)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + 16 <= k; p += 16)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p + 8), Vector256.Load(y + p + 8), acc1);
            }
            for (; p + 8 <= k; p += 8) acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc0);
        }
        float sum = Vector256.Sum(acc0 + acc1);
        for (; p < k; p++) sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        return sum;
    }

    private static void Axpy(float alpha, float* x, float* y, int m)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i + 8 <= m; i += 8) Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(x + i), va, Vector256.Load(y + i)), y + i);
        }
        for (; i < m; i++) y[i] = MathF.FusedMultiplyAdd(x[i], alpha, y[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, float value, float beta) => *c = beta == 0f ? value : MathF.FusedMultiplyAdd(beta, *c, value);

    /// <summary>op(B) = B^T with few rows or columns in C: each entry is a dot product of two contiguous rows.</summary>
    private static void DotRows(bool transA, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        float* rowA = stackalloc float[k];
        for (int i = 0; i < m; i++)
        {
            float* ai = a + (long)i * lda;
            if (transA)
            {
                for (int p = 0; p < k; p++) rowA[p] = a[(long)p * lda + i];
                ai = rowA;
            }
            for (int j = 0; j < n; j++) Write(c + (long)i * ldc + j, alpha * Dot(ai, b + (long)j * ldb, k), beta);
        }
    }
}
