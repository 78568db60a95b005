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
}
