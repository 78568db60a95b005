namespace GanSharp.Kernels;

/// <summary>
/// The layout of op(A) (m x k) packed ahead of a <see cref="Gemm.SgemmPrepackedAB"/> call, by a kernel that writes
/// it straight from its own data (a convolution's patches, <see cref="Im2Col.PackPatchPanels4x4"/>): for each K
/// block (as Gemm blocks K) the ceil(m / 6) panels of kc x 6 floats, rows past m zero. The same floats Gemm's
/// own packing makes, so the product is bit-identical.
/// </summary>
internal static unsafe class PackedA
{
    /// <summary>Floats the layout of an m x k op(A) takes, slack included.</summary>
    public static long Floats(int m, int k) => (long)GemmBlocking.RoundUp(m, GemmBlocking.MR) * k + GemmPacking.Slack;

    /// <summary>Where the panel starting at row <paramref name="row"/> (a multiple of 6) of the K block starting at <paramref name="pc"/> (kc deep) lies.</summary>
    public static float* Panel(float* data, int m, int pc, int kc, int row) =>
        data + (nint)pc * GemmBlocking.RoundUp(m, GemmBlocking.MR) + (nint)row * kc;

    /// <summary>
    /// A batch-major [images, rows, plane] block (a convolution's output gradient G [N, O, plane]) as op(A)
    /// [rows, images plane] in this layout, image by image: no channel-major copy first.
    /// </summary>
    public static void PackBatchMajor(float* g, int images, int o, int plane, float* packed)
    {
        int positions = images * plane, kcStd = GemmBlocking.KcFor(positions);
        for (int pc = 0; pc < positions; pc += kcStd)
        {
            int kc = Math.Min(kcStd, positions - pc);
            // Panel by panel, then position by position: every store lands after the last one (GEMM's packing
            // writes a little past a segment, which the next segment or panel overwrites).
            for (int o0 = 0; o0 < o; o0 += GemmBlocking.MR)
            {
                float* panel = Panel(packed, o, pc, kc, o0);
                for (int k = pc; k < pc + kc;)
                {
                    int b = k / plane, q = k - b * plane, count = Math.Min(plane - q, pc + kc - k);
                    GemmPacking.PackA(false, g + ((long)b * o + o0) * plane + q, plane, Math.Min(GemmBlocking.MR, o - o0), count,
                        panel + (k - pc) * GemmBlocking.MR);
                    k += count;
                }
            }
        }
    }
}
