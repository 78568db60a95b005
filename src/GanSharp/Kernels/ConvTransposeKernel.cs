using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanSharp.Kernels;

/// <summary>
/// Transposed 2-D convolution (the adjoint of a strided convolution) computed a few images at a
/// time, so that no column matrix of the whole batch goes through memory.
/// </summary>
/// <remarks>
/// <para>
/// The batch is cut into chunks of whole images, about one GEMM M block (144) of input positions
/// each. For a chunk, one GEMM gives every input position's contributions to the output:
/// row p of contributions [positions, kh * kw * O] is x[:, p]^T W, with W's columns ordered
/// (ky, kx, o), so that a tap's O values are contiguous. Row by row they are added, tap by tap,
/// into a padded [rows, cols, O] accumulator at (y stride + ky, x stride + kx): whole vectors,
/// never a partly overlapping store. The accumulator's interior, transposed to [O, outH, outW], is
/// the image's output. A chunk's contributions (about 600 KB at most) stay in L2, where a col2im of
/// the whole batch's column matrix streams it through memory twice.
/// </para>
/// <para>
/// Chunks are claimed by the <see cref="ComputeThreads"/>; a chunk's GEMM runs on the thread that
/// claimed it (or on all threads when there is only one chunk). Every output is summed in the same
/// order whatever the thread count.
/// </para>
/// </remarks>
internal static unsafe class ConvTransposeKernel
{
    /// <summary>GEMM columns per tap block: its slice of packed W (128 KB at 128 channels) and its contributions stay in L2 together.</summary>
    private const int BlockColumns = 256;

    private struct Job
    {
        public float* X, PackedW, Bias, Y;
        public int N, C, H, W, O, Kh, Kw, Stride, Pad, OutH, OutW, Images, AccH, AccW, TapsPerBlock;
    }

    /// <summary>
    /// Whether this kernel suits <paramref name="outputChannels"/>: a tap's channels are accumulated a vector at a time,
    /// so with fewer than 8 each image's columns, folded (<see cref="PerImageConv"/>), are faster (measured against a
    /// batch-wide column matrix: 0.6x at 1).
    /// </summary>
    public static bool Applies(int outputChannels) => outputChannels >= 8;

    /// <summary>
    /// y [N, O, outH, outW] = conv_transpose2d(x [N, C, H, W], weight [C, O, kh, kw]) + bias [O] (bias may be empty);
    /// outH = (H - 1) stride - 2 pad + kh + output padding, likewise outW.
    /// </summary>
    public static void Run(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> weight, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, ReadOnlySpan<float> bias, Span<float> y)
    {
        if (x.Length < (long)n * c * h * w || weight.Length < (long)c * o * kh * kw || y.Length < (long)n * o * outH * outW
            || (!bias.IsEmpty && bias.Length < o))
            throw new ArgumentException("ConvTransposeKernel.Run: buffer too small for the sizes given.");
        if (n == 0 || o == 0 || outH == 0 || outW == 0) return;
        if (c == 0 || h == 0 || w == 0)
        {
            Im2Col.FillChannelBias(y, n, o, outH * outW, bias);
            return;
        }

        int kk = kh * kw, taps = kk * o;
        int tapsPerBlock = Math.Clamp(BlockColumns / o, 1, kk);
        int images = ChannelTranspose.ImagesPerChunk(h * w, n);
        int chunks = (n + images - 1) / images;

        var buffers = ScratchBuffers.Rent();
        try
        {
            float* ordered = buffers.Get(0, (nuint)((long)c * taps));
            float* packed = buffers.Get(1, (nuint)PackedWFloats(c, o, kk, tapsPerBlock));
            fixed (float* px = x, pw = weight, pb = bias, py = y)
            {
                // W [C, O, kh, kw] -> [C, kh, kw, O], then packed block by block for every chunk's GEMMs.
                for (int ch = 0; ch < c; ch++)
                    for (int oc = 0; oc < o; oc++)
                    {
                        float* src = pw + ((long)ch * o + oc) * kk;
                        float* dst = ordered + (long)ch * taps + oc;
                        for (int t = 0; t < kk; t++) dst[t * o] = src[t];
                    }
                float* block = packed;
                for (int t0 = 0; t0 < kk; t0 += tapsPerBlock)
                {
                    int columns = Math.Min(tapsPerBlock, kk - t0) * o;
                    PackedB.PackInto(false, ordered + t0 * o, taps, c, columns, block);
                    block += PackedB.Floats(c, columns);
                }

                var job = new Job
                {
                    X = px, PackedW = packed, Bias = bias.IsEmpty ? null : pb, Y = py,
                    N = n, C = c, H = h, W = w, O = o, Kh = kh, Kw = kw, Stride = stride, Pad = pad, OutH = outH, OutW = outW,
                    Images = images, TapsPerBlock = tapsPerBlock,
                    AccH = Math.Max((h - 1) * stride + kh, outH + pad),
                    AccW = Math.Max((w - 1) * stride + kw, outW + pad),
                };
                ComputeThreads.Run(chunks, &ChunkPart, &job);
            }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    private static long PackedWFloats(int c, int o, int kk, int tapsPerBlock)
    {
        long floats = 0;
        for (int t0 = 0; t0 < kk; t0 += tapsPerBlock) floats += PackedB.Floats(c, Math.Min(tapsPerBlock, kk - t0) * o);
        return floats;
    }

    private static void ChunkPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int b0 = part * job.Images, b1 = Math.Min(job.N, b0 + job.Images);
        int plane = job.H * job.W, positions = (b1 - b0) * plane, kk = job.Kh * job.Kw, o = job.O;
        long accFloats = (long)job.AccH * job.AccW * o;
        var buffers = ScratchBuffers.Rent();
        try
        {
            // The chunk's input as [C, positions] (one image already is), the GEMM's transposed A.
            float* a = job.X + (long)b0 * job.C * plane;
            if (b1 - b0 > 1)
            {
                a = buffers.Get(0, (nuint)((long)job.C * positions));
                for (int ch = 0; ch < job.C; ch++)
                    for (int b = b0; b < b1; b++)
                        new ReadOnlySpan<float>(job.X + ((long)b * job.C + ch) * plane, plane)
                            .CopyTo(new Span<float>(a + (long)ch * positions + (b - b0) * plane, plane));
            }
            float* acc = buffers.Get(2, (nuint)((b1 - b0) * accFloats));
            new Span<float>(acc, (int)((b1 - b0) * accFloats)).Clear();

            int pitch = ChannelTranspose.Pitch(job.TapsPerBlock * o);
            float* contributions = buffers.Get(1, (nuint)((long)positions * pitch));
            float* packed = job.PackedW;
            for (int t0 = 0; t0 < kk; t0 += job.TapsPerBlock)
            {
                int t1 = Math.Min(kk, t0 + job.TapsPerBlock), columns = (t1 - t0) * o;
                Gemm.SgemmPrepacked(true, positions, columns, job.C, a, positions, packed, contributions, pitch);
                packed += PackedB.Floats(job.C, columns);
                for (int b = b0; b < b1; b++)
                    Accumulate(job, contributions + (long)(b - b0) * plane * pitch, pitch, t0, t1, acc + (b - b0) * accFloats);
            }
            for (int b = b0; b < b1; b++)
                Store(job, acc + (b - b0) * accFloats, job.Y + (long)b * o * job.OutH * job.OutW);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>acc[y stride + ky, x stride + kx, :] += contributions[(y, x), (ky, kx), :] over one image's positions, taps [t0, t1).</summary>
    private static void Accumulate(in Job job, float* contributions, int pitch, int t0, int t1, float* acc)
    {
        int o = job.O;
        for (int iy = 0; iy < job.H; iy++)
            for (int ix = 0; ix < job.W; ix++, contributions += pitch)
            {
                float* src = contributions;
                for (int t = t0; t < t1; t++, src += o)
                {
                    int ky = t / job.Kw, kx = t - ky * job.Kw;
                    AddInto(acc + ((long)(iy * job.Stride + ky) * job.AccW + ix * job.Stride + kx) * o, src, o);
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }

    /// <summary>y[o, oy, ox] = acc[oy + pad, ox + pad, o] (+ bias[o]): the interior, channel-major.</summary>
    private static void Store(in Job job, float* acc, float* y)
    {
        for (int oy = 0; oy < job.OutH; oy++)
            ChannelTranspose.Store(acc + ((long)(oy + job.Pad) * job.AccW + job.Pad) * job.O, job.OutW, job.O, job.O,
                y + oy * job.OutW, job.OutH * job.OutW, job.Bias);
    }
}
