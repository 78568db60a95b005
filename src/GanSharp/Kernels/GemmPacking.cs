using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams through.
/// Transposes are resolved here, so the kernel only ever sees one layout.
/// </summary>
/// <remarks>
/// A block (rows x kc) becomes 6-row panels, panel after panel: for each k the 6 row values
/// (rows past the end are zero). B block (kc x cols) becomes 16-column strips, strip after strip:
/// for each k the 16 column values (columns past the end are zero). Zero padding makes edge tiles
/// ordinary tiles. Destinations need <see cref="Slack"/> floats past their end: full 6-row panels
/// are written with 8-wide stores that overlap.
/// </remarks>
internal static unsafe class GemmPacking
{
    public const int Slack = 16;

    /// <summary>
    /// Packs rows x kc of op(A) starting at <paramref name="a"/> (the address of op(A)[0, 0] of the block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int rows, int kc, float* dst)
    {
        for (int i0 = 0; i0 < rows; i0 += GemmBlocking.MR, dst += GemmBlocking.MR * kc)
        {
            int valid = Math.Min(GemmBlocking.MR, rows - i0);
            if (transA) PackAPanelTransposed(a + i0, lda, valid, kc, dst);
            else PackAPanel(a + i0 * lda, lda, valid, kc, dst);
        }
    }

    /// <summary>A stored row-major (rows contiguous in k): a 6 x kc -> kc x 6 transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAPanel(float* a, nint lda, int valid, int kc, float* dst)
    {
        int p = 0;
        if (valid == GemmBlocking.MR && Avx.IsSupported)
        {
            // Transpose 8 k-columns at a time as an 8x8 block whose last two rows repeat row 5;
            // each 8-wide output row is stored 6 floats after the previous one, so the next store
            // overwrites the two filler values.
            for (; p + 8 <= kc; p += 8)
            {
                float* s = a + p;
                Transpose8x8(
                    Avx.LoadVector256(s), Avx.LoadVector256(s + lda), Avx.LoadVector256(s + 2 * lda),
                    Avx.LoadVector256(s + 3 * lda), Avx.LoadVector256(s + 4 * lda), Avx.LoadVector256(s + 5 * lda),
                    Avx.LoadVector256(s + 5 * lda), Avx.LoadVector256(s + 5 * lda),
                    out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                float* d = dst + p * GemmBlocking.MR;
                Avx.Store(d, o0); Avx.Store(d + 6, o1); Avx.Store(d + 12, o2); Avx.Store(d + 18, o3);
                Avx.Store(d + 24, o4); Avx.Store(d + 30, o5); Avx.Store(d + 36, o6); Avx.Store(d + 42, o7);
            }
        }
        for (; p < kc; p++)
        {
            float* d = dst + p * GemmBlocking.MR;
            int r = 0;
            for (; r < valid; r++) d[r] = a[r * lda + p];
            for (; r < GemmBlocking.MR; r++) d[r] = 0f;
        }
    }

    /// <summary>A stored transposed (k rows contiguous in i): each k contributes 6 consecutive floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAPanelTransposed(float* a, nint lda, int valid, int kc, float* dst)
    {
        if (valid == GemmBlocking.MR)
        {
            for (int p = 0; p < kc; p++, a += lda, dst += GemmBlocking.MR)
            {
                // Two overlapping 4-wide copies cover the 6 floats without reading past them.
                Vector128.Store(Vector128.Load(a), dst);
                Vector128.Store(Vector128.Load(a + 2), dst + 2);
            }
            return;
        }
        for (int p = 0; p < kc; p++, a += lda, dst += GemmBlocking.MR)
        {
            int r = 0;
            for (; r < valid; r++) dst[r] = a[r];
            for (; r < GemmBlocking.MR; r++) dst[r] = 0f;
        }
    }

    /// <summary>
    /// Packs kc x cols of op(B) starting at <paramref name="b"/> (the address of op(B)[0, 0] of the block)
    /// into ceil(cols / 16) strips of kc x 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int kc, int cols, float* dst)
    {
        for (int j0 = 0; j0 < cols; j0 += GemmBlocking.NR, dst += GemmBlocking.NR * kc)
        {
            int valid = Math.Min(GemmBlocking.NR, cols - j0);
            if (transB) PackBStripTransposed(b + j0 * ldb, ldb, kc, valid, dst);
            else PackBStrip(b + j0, ldb, kc, valid, dst);
        }
    }

    /// <summary>B stored row-major: each k row of the strip is 16 contiguous floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBStrip(float* b, nint ldb, int kc, int valid, float* dst)
    {
        if (valid == GemmBlocking.NR)
        {
            for (int p = 0; p < kc; p++, b += ldb, dst += GemmBlocking.NR)
            {
                Vector256.Store(Vector256.Load(b), dst);
                Vector256.Store(Vector256.Load(b + 8), dst + 8);
            }
            return;
        }
        for (int p = 0; p < kc; p++, b += ldb, dst += GemmBlocking.NR)
        {
            int j = 0;
            for (; j < valid; j++) dst[j] = b[j];
            for (; j < GemmBlocking.NR; j++) dst[j] = 0f;
        }
    }

    /// <summary>B stored transposed (n rows contiguous in k, as a Linear weight): a 16 x kc -> kc x 16 transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBStripTransposed(float* b, nint ldb, int kc, int valid, float* dst)
    {
        int p = 0;
        if (valid == GemmBlocking.NR && Avx.IsSupported)
        {
            for (; p + 8 <= kc; p += 8)
            {
                for (int half = 0; half < 2; half++)
                {
                    float* s = b + half * 8 * ldb + p;
                    Transpose8x8(
                        Avx.LoadVector256(s), Avx.LoadVector256(s + ldb), Avx.LoadVector256(s + 2 * ldb),
                        Avx.LoadVector256(s + 3 * ldb), Avx.LoadVector256(s + 4 * ldb), Avx.LoadVector256(s + 5 * ldb),
                        Avx.LoadVector256(s + 6 * ldb), Avx.LoadVector256(s + 7 * ldb),
                        out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
                    float* d = dst + p * GemmBlocking.NR + half * 8;
                    Avx.Store(d, o0); Avx.Store(d + 16, o1); Avx.Store(d + 32, o2); Avx.Store(d + 48, o3);
                    Avx.Store(d + 64, o4); Avx.Store(d + 80, o5); Avx.Store(d + 96, o6); Avx.Store(d + 112, o7);
                }
            }
        }
        for (; p < kc; p++)
        {
            float* d = dst + p * GemmBlocking.NR;
            int j = 0;
            for (; j < valid; j++) d[j] = b[j * ldb + p];
            for (; j < GemmBlocking.NR; j++) d[j] = 0f;
        }
    }

    /// <summary>
    /// Prefetches (into L2) part <paramref name="part"/> of <paramref name="parts"/> of the source lines
    /// that <see cref="PackB"/> will read for the strip of <paramref name="cols"/> ≤ 16 columns at
    /// <paramref name="b"/>. Spread over the kernel calls of the previous strip, it hides the
    /// latency of B's strided rows, which the hardware prefetchers cannot follow across pages.
    /// </summary>
    public static void PrefetchBStrip(bool transB, float* b, nint ldb, int kc, int cols, int part, int parts)
    {
        if (!Sse.IsSupported) return;
        if (transB)
        {
            // cols rows of kc contiguous floats: walk them as one list of 64-byte lines.
            int linesPerRow = (kc + 15) / 16 + 1; // +1: rows need not start on a line boundary
            int lines = cols * linesPerRow;
            int from = (int)((long)lines * part / parts), to = (int)((long)lines * (part + 1) / parts);
            for (int l = from; l < to; l++)
            {
                int row = l / linesPerRow, line = l - row * linesPerRow;
                Sse.Prefetch1((byte*)(b + row * ldb) + Math.Min(line * 64, kc * sizeof(float) - 1));
            }
        }
        else
        {
            // kc rows of cols contiguous floats: the first and last byte cover the (at most two) lines.
            int from = (int)((long)kc * part / parts), to = (int)((long)kc * (part + 1) / parts);
            for (int row = from; row < to; row++)
            {
                float* s = b + row * ldb;
                Sse.Prefetch1(s);
                Sse.Prefetch1(s + cols - 1);
            }
        }
    }

    /// <summary>Output row q = column q of the 8x8 block whose rows are r0..r7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        // Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds 4 rows of one column.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the rows 0-3 and rows 4-7 halves of each column.
        o0 = Avx.Permute2x128(u0, u4, 0x20); o1 = Avx.Permute2x128(u1, u5, 0x20);
        o2 = Avx.Permute2x128(u2, u6, 0x20); o3 = Avx.Permute2x128(u3, u7, 0x20);
        o4 = Avx.Permute2x128(u0, u4, 0x31); o5 = Avx.Permute2x128(u1, u5, 0x31);
        o6 = Avx.Permute2x128(u2, u6, 0x31); o7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
