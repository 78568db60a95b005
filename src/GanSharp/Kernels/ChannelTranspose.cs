using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// Moves a position-major block [positions, channels] (what the chunked convolution kernels' GEMMs
/// give) to channel-major planes, adding each channel's bias on the way.
/// </summary>
internal static unsafe class ChannelTranspose
{
    /// <summary>
    /// Row length for a position-major product of <paramref name="columns"/> columns: one cache line longer than
    /// the columns rounded to a GEMM strip, since a row length of 4 KB would put a column of the GEMM's C tiles
    /// in a single L1 set.
    /// </summary>
    public static int Pitch(int columns) => GemmBlocking.RoundUp(columns, GemmBlocking.NR) + GemmBlocking.NR;

    /// <summary>
    /// Whole images per chunk of the chunked convolution kernels: about one GEMM M block (144) of positions,
    /// at least one image, and few enough chunks for <see cref="ComputeThreads.Run"/>.
    /// </summary>
    public static int ImagesPerChunk(int positionsPerImage, int n) =>
        Math.Max(Math.Clamp(GemmBlocking.McMax / positionsPerImage, 1, n), (n + ComputeThreads.MaxParts - 1) / ComputeThreads.MaxParts);

    /// <summary>
    /// dst[ch * dstPitch + p] = src[p * srcPitch + ch] + bias[ch] (bias may be null) for p &lt; positions, ch &lt; channels,
    /// rectified on the way when <paramref name="rectify"/> (v &gt; 0 ? v : <paramref name="slope"/> v, as <see cref="ElementwiseKernels.LeakyRelu"/>).
    /// 8 x 8 blocks are transposed in registers; the last block of a row of positions may overlap the one
    /// before it (it rewrites the same values). Channels past the last multiple of 8, or fewer than 8
    /// positions, go element by element.
    /// </summary>
    public static void Store(float* src, int positions, int srcPitch, int channels, float* dst, int dstPitch, float* bias,
        bool rectify = false, float slope = 0f)
    {
        var vslope = Vector256.Create(slope);
        int vectorChannels = Avx.IsSupported && positions >= 8 ? channels & ~7 : 0;
        for (int ch = 0; ch < vectorChannels; ch += 8)
        {
            float* d0 = dst + (long)ch * dstPitch;
            for (int p = 0; p < positions; p += 8)
            {
                int p0 = Math.Min(p, positions - 8);
                float* s = src + (long)p0 * srcPitch + ch;
                GemmPacking.Transpose8x8(
                    Avx.LoadVector256(s), Avx.LoadVector256(s + srcPitch), Avx.LoadVector256(s + 2 * srcPitch), Avx.LoadVector256(s + 3 * srcPitch),
                    Avx.LoadVector256(s + 4 * srcPitch), Avx.LoadVector256(s + 5 * srcPitch), Avx.LoadVector256(s + 6 * srcPitch), Avx.LoadVector256(s + 7 * srcPitch),
                    out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                float* d = d0 + p0;
                Avx.Store(d, Output(c0, bias, ch, rectify, vslope)); Avx.Store(d + dstPitch, Output(c1, bias, ch + 1, rectify, vslope));
                Avx.Store(d + 2 * dstPitch, Output(c2, bias, ch + 2, rectify, vslope)); Avx.Store(d + 3 * dstPitch, Output(c3, bias, ch + 3, rectify, vslope));
                Avx.Store(d + 4 * dstPitch, Output(c4, bias, ch + 4, rectify, vslope)); Avx.Store(d + 5 * dstPitch, Output(c5, bias, ch + 5, rectify, vslope));
                Avx.Store(d + 6 * dstPitch, Output(c6, bias, ch + 6, rectify, vslope)); Avx.Store(d + 7 * dstPitch, Output(c7, bias, ch + 7, rectify, vslope));
            }
        }
        for (int ch = vectorChannels; ch < channels; ch++)
        {
            float add = bias == null ? 0f : bias[ch];
            float* s = src + ch, d = dst + (long)ch * dstPitch;
            for (int p = 0; p < positions; p++, s += srcPitch)
            {
                float v = *s + add;
                d[p] = !rectify || v > 0 ? v : slope * v;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Output(Vector256<float> v, float* bias, int channel, bool rectify, Vector256<float> slope)
    {
        if (bias != null) v += Vector256.Create(bias[channel]);
        return rectify ? ElementwiseKernels.Rectify(v, slope) : v;
    }
}
