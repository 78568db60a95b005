using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>Everything one call needs; lives on the caller's stack while the parts run.</summary>
internal unsafe struct GemmProblem
{
    public bool TransA, TransB, SplitN, ScalarKernel;
    /// <summary>Full 32-column strip pairs take the AVX-512 12x32 kernel.</summary>
    public bool Wide;
    public int M, N, K;
    public float Alpha, Beta, Slope;
    public float* A, B, C, Bias;
    public nint Lda, Ldb, Ldc;
    public Activation Act;
    /// <summary>B already packed by <see cref="PackedB"/> (then B is unused), or null.</summary>
    public float* PackedB;
    /// <summary>A already packed in the <see cref="Kernels.PackedA"/> layout (then A is unused), or null.</summary>
    public float* PackedA;
}

/// <summary>
/// The cache-blocked loops around the micro-kernel, for one slice of C on the current thread.
/// </summary>
/// <remarks>
/// Loop order (GotoBLAS): N blocks of ≤ 4096 columns, K blocks of ≤ 384, M blocks of ≤ 144 rows
/// (packed A: 6-row panels, in L2), 16-column strips of packed B (in L1), 6-row panels. With AVX-512 the
/// strips go two at a time and the panels too, into the 12x32 kernel; the layouts stay the same.
/// K blocks depend only on K, never on the slice: that is what makes every split of the work
/// compute each element of C with the same operations.
/// </remarks>
internal static unsafe class GemmBlocking
{
    public const int MR = 6;           // micro-tile rows
    public const int NR = 16;          // micro-tile columns (2 x Vector256)
    public const int KcMax = 384;      // K block: a 16-column B strip (24 KiB) stays in L1 with the A panel streaming past
    public const int McMax = 144;      // M block: packed A (216 KiB) stays in L2
    public const int NcMax = 4096;     // N block: packed B (6 MiB) stays in L3

    /// <summary>K block size for a given K: equal blocks (1200 -> 4 x 300 rather than 3 x 384 + 48).</summary>
    public static int KcFor(int k)
    {
        int blocks = (k + KcMax - 1) / KcMax;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>
    /// C[0..m, 0..n] of the slice. a, b, c and bias point at the slice's first row / column;
    /// <paramref name="firstRow"/> and <paramref name="firstStrip"/> are the slice's first row and first 16-column
    /// strip in the whole of C (where its panels and strips sit in a packed A or <see cref="PackedB"/>).
    /// </summary>
    public static void Multiply(ref GemmProblem p, int m, int n, float* a, float* b, float* c, float* bias, int firstRow, int firstStrip)
    {
        int kcStd = KcFor(p.K);
        int mBlocks = (m + McMax - 1) / McMax;
        int mcStd = RoundUp((m + mBlocks - 1) / mBlocks, p.Wide ? 2 * MR : MR); // equal M blocks too (whole 12-row pairs for the wide kernel)
        int ncStd = Math.Min(RoundUp(n, NR), NcMax);

        ScratchBuffers buffers = ScratchBuffers.Rent();
        try
        {
            float* aPacked = p.PackedA != null ? null : buffers.Get(0, (nuint)(mcStd * kcStd + GemmPacking.Slack));
            float* bPacked = p.PackedB != null ? null : buffers.Get(1, (nuint)(ncStd * kcStd + GemmPacking.Slack));
            MultiplyBlocks(ref p, m, n, a, b, c, bias, firstRow, firstStrip, kcStd, mcStd, aPacked, bPacked);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyBlocks(ref GemmProblem p, int m, int n, float* a, float* b, float* c, float* bias, int firstRow, int firstStrip,
        int kcStd, int mcStd, float* aPacked, float* bPacked)
    {
        int k = p.K;
        nint lda = p.Lda, ldb = p.Ldb;
        bool transA = p.TransA, transB = p.TransB;
        int totalStrips = (p.N + NR - 1) / NR;

        for (int jc = 0; jc < n; jc += NcMax)
        {
            int nc = Math.Min(NcMax, n - jc);
            int strips = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcStd)
            {
                int kc = Math.Min(kcStd, k - pc);
                var step = new KStep
                {
                    Kc = kc,
                    Beta = pc == 0 ? p.Beta : 1f, // later K blocks accumulate
                    Last = pc + kc == k,
                };
                float* bBlock = transB ? b + jc * ldb + pc : b + pc * ldb + jc; // op(B)[pc, jc]

                for (int ic = 0; ic < m; ic += mcStd)
                {
                    int mc = Math.Min(mcStd, m - ic);
                    if (p.PackedA != null)
                    {
                        aPacked = PackedA.Panel(p.PackedA, p.M, pc, kc, firstRow + ic);
                    }
                    else
                    {
                        float* aBlock = transA ? a + pc * lda + ic : a + ic * lda + pc; // op(A)[ic, pc]
                        GemmPacking.PackA(transA, aBlock, lda, mc, kc, aPacked);
                    }

                    for (int s = 0; s < strips;)
                    {
                        // With the wide kernel, two full strips at a time (the first of a pair is full when the second is).
                        int width = p.Wide && s + 1 < strips && nc - (s + 1) * NR >= NR ? 2 : 1;
                        int cols = Math.Min(width * NR, nc - s * NR);
                        float* bStrip;
                        float* prefetch = null;
                        int prefetchCols = 0;
                        if (p.PackedB != null)
                        {
                            bStrip = PackedB.Strip(p.PackedB, totalStrips, pc, kc, firstStrip + jc / NR + s);
                        }
                        else
                        {
                            // B is always packed: contiguous strips are TLB- and prefetcher-friendly, and
                            // transposes and partial strips come for free. Each strip is packed during the
                            // first M block right before its first use (still in L1), while the source of
                            // the next strips is prefetched, since its rows lie a page or more apart.
                            bStrip = bPacked + s * NR * kc;
                            if (ic == 0)
                            {
                                for (int t = s; t < s + width; t++)
                                    GemmPacking.PackB(transB, transB ? bBlock + t * NR * ldb : bBlock + t * NR, ldb, kc, Math.Min(NR, nc - t * NR),
                                        bPacked + t * NR * kc);
                                int next = s + width;
                                if (next < strips)
                                {
                                    prefetch = transB ? bBlock + next * NR * ldb : bBlock + next * NR;
                                    prefetchCols = Math.Min(width * NR, nc - next * NR);
                                }
                            }
                        }
                        float* cStrip = c + ic * p.Ldc + jc + s * NR;
                        float* biasStrip = bias == null ? null : bias + jc + s * NR;
                        if (width == 2) ComputeStripPair(ref p, in step, aPacked, mc, bStrip, cStrip, biasStrip, prefetch, prefetchCols);
                        else ComputeStrip(ref p, in step, aPacked, mc, bStrip, cols, cStrip, biasStrip, prefetch, prefetchCols);
                        s += width;
                    }
                }
            }
        }
    }

    /// <summary>What changes from one K block to the next.</summary>
    private struct KStep
    {
        public int Kc;
        public float Beta;
        public bool Last;
    }

    /// <summary>One strip of C (mc x cols ≤ 16) += packed A block * one packed B strip, panel by panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeStrip(ref GemmProblem p, in KStep step, float* aPacked, int mc, float* bStrip, int cols,
        float* cStrip, float* biasStrip, float* prefetch, int prefetchCols)
    {
        int kc = step.Kc;
        nint ldc = p.Ldc;
        bool activate = step.Last && p.Act != Activation.Identity;
        int panels = (mc + MR - 1) / MR;
        for (int panel = 0; panel < panels; panel++)
        {
            int i0 = panel * MR;
            int rows = Math.Min(MR, mc - i0);
            float* aPanel = aPacked + i0 * kc;
            float* cTile = cStrip + i0 * ldc;
            if (prefetch != null) GemmPacking.PrefetchBStrip(p.TransB, prefetch, p.Ldb, kc, prefetchCols, panel, panels);

            if (rows == MR && cols == NR)
            {
                PrefetchTile(cTile, ldc); // the kernel reads it at its end, maybe from L3 (measured: +2-5%)
                Kernel(ref p, kc, aPanel, bStrip, cTile, ldc, step.Beta, step.Last ? biasStrip : null, MR);
                if (activate) GemmEpilogue.Tile6x16(cTile, ldc, p.Act, p.Slope);
            }
            else if (cols == NR && !activate)
            {
                Kernel(ref p, kc, aPanel, bStrip, cTile, ldc, step.Beta, step.Last ? biasStrip : null, rows);
            }
            else
            {
                EdgeTile(ref p, in step, aPanel, bStrip, cTile, rows, cols, biasStrip);
            }
        }
    }

    /// <summary>
    /// Two full strips of C (mc x 32) with the wide kernels: 12-row tiles from pairs of full panels, 6x32 tiles
    /// from the rest (a last odd or partial panel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeStripPair(ref GemmProblem p, in KStep step, float* aPacked, int mc, float* bStrips, float* cStrip,
        float* biasStrip, float* prefetch, int prefetchCols)
    {
        int kc = step.Kc;
        nint ldc = p.Ldc;
        bool activate = step.Last && p.Act != Activation.Identity;
        float* bias = step.Last ? biasStrip : null;
        float* bSecond = bStrips + NR * kc;
        int panels = (mc + MR - 1) / MR, pairs = mc / (2 * MR);
        for (int pair = 0; pair < pairs; pair++)
        {
            int i0 = pair * 2 * MR;
            float* aPanel = aPacked + i0 * kc;
            float* cTile = cStrip + i0 * ldc;
            if (prefetch != null) GemmPacking.PrefetchBStrip(p.TransB, prefetch, p.Ldb, kc, prefetchCols, pair, pairs);
            for (int r = 0; r < 2 * MR; r++) PrefetchLine(cTile + r * ldc, 2 * NR);
            GemmMicroKernel.Fma12x32(kc, aPanel, aPanel + MR * kc, bStrips, bSecond, cTile, ldc, p.Alpha, step.Beta, bias);
            if (activate)
                for (int q = 0; q < 4; q++)
                    GemmEpilogue.Tile6x16(cTile + (q >> 1) * MR * ldc + (q & 1) * NR, ldc, p.Act, p.Slope);
        }
        for (int panel = 2 * pairs; panel < panels; panel++)
        {
            int i0 = panel * MR;
            int rows = Math.Min(MR, mc - i0);
            float* aPanel = aPacked + i0 * kc;
            float* cTile = cStrip + i0 * ldc;
            if (!activate || rows == MR)
            {
                for (int r = 0; r < rows; r++) PrefetchLine(cTile + r * ldc, 2 * NR);
                GemmMicroKernel.Fma6x32(kc, aPanel, bStrips, bSecond, cTile, ldc, p.Alpha, step.Beta, bias, rows);
                if (activate)
                    for (int half = 0; half < 2; half++) GemmEpilogue.Tile6x16(cTile + half * NR, ldc, p.Act, p.Slope);
                continue;
            }
            for (int half = 0; half < 2; half++)
                EdgeTile(ref p, in step, aPanel, half == 0 ? bStrips : bSecond, cTile + half * NR, rows, NR, biasStrip == null ? null : biasStrip + half * NR);
        }
        // Too few panels for a pair to carry it: the next strips' prefetch still has to happen.
        if (prefetch != null && pairs == 0)
            for (int part = 0; part < panels; part++) GemmPacking.PrefetchBStrip(p.TransB, prefetch, p.Ldb, kc, prefetchCols, part, panels);
    }

    /// <summary>
    /// A tile cut by the right edge of C (or by the last row, with an activation to apply): the very same kernel and epilogue run on a zero-padded 6x16
    /// copy, so edge elements get exactly the operations interior ones do.
    /// </summary>
    private static void EdgeTile(ref GemmProblem p, in KStep step, float* aPanel, float* bStrip, float* cTile, int rows, int cols, float* biasStrip)
    {
        float* tile = stackalloc float[MR * NR];
        float* paddedBias = stackalloc float[NR];
        nint ldc = p.Ldc;
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++) tile[r * NR + j] = r < rows && j < cols ? cTile[r * ldc + j] : 0f;

        float* tileBias = null;
        if (step.Last && biasStrip != null)
        {
            for (int j = 0; j < NR; j++) paddedBias[j] = j < cols ? biasStrip[j] : 0f;
            tileBias = paddedBias;
        }
        Kernel(ref p, step.Kc, aPanel, bStrip, tile, NR, step.Beta, tileBias, MR);
        if (step.Last && p.Act != Activation.Identity) GemmEpilogue.Tile6x16(tile, NR, p.Act, p.Slope);

        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) cTile[r * ldc + j] = tile[r * NR + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc)
    {
        for (int r = 0; r < MR; r++, c += ldc) PrefetchLine(c, NR);
    }

    /// <summary>Prefetches <paramref name="count"/> ≤ 32 floats into L1: the first, middle and last byte cover every line they may straddle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchLine(float* c, int count)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(c);
        if (count > 16) Sse.Prefetch0(c + count / 2);
        Sse.Prefetch0(c + count - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(ref GemmProblem p, int kc, float* aPanel, float* bStrip, float* c, nint ldc, float beta, float* bias, int rows)
    {
        if (p.ScalarKernel) GemmMicroKernel.Scalar6x16(kc, aPanel, bStrip, c, ldc, p.Alpha, beta, bias, rows);
        else GemmMicroKernel.Fma6x16(kc, aPanel, bStrip, c, ldc, p.Alpha, beta, bias, rows);
    }

    public static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
