namespace GanSharp.Kernels;

/// <summary>
/// 2-D convolution computed a few images at a time: no column matrix of the whole batch is written.
/// </summary>
/// <remarks>
/// <para>
/// The batch is cut into chunks of whole images, about one GEMM M block (144) of output positions
/// each. A chunk's images are unfolded into a column matrix of their own [C kh kw, positions],
/// which stays in L2, and multiplied position-major: y^T [positions, O] = columns^T W^T, with W^T
/// packed once per call. For 4x4 kernels the chunk's patches are written straight in GEMM's packed
/// layout of columns^T instead (<see cref="Im2Col.PackPatchPanels4x4"/>): one pass, no column matrix.
/// The chunk's y^T, transposed, is its images' output planes. No columns are kept for the weight
/// gradient, which packs its input's patches again (<see cref="ConvWeightGradKernel"/>): a batch's column
/// matrix (12.8 MB for a DCGAN layer) costs more to write to memory and read back than to remake.
/// </para>
/// <para>
/// Chunks are claimed by the <see cref="ComputeThreads"/>; a chunk's unfold and GEMM run on the
/// thread that claimed it. Every output is the same sum whatever the thread count.
/// </para>
/// </remarks>
internal static unsafe class ConvKernel
{
    private struct Job
    {
        public float* X, PackedW, Bias, Y;
        public int N, C, H, W, O, Kh, Kw, Stride, Pad, OutH, OutW, Images;
        public bool Rectify;
        public float Slope;
    }

    /// <summary>
    /// Whether this kernel suits <paramref name="outputChannels"/>: they are the columns of its GEMM's 16-wide
    /// strips, so with few of them a product [O, positions] per group of images (<see cref="PerImageConv"/>) wastes less.
    /// </summary>
    public static bool Applies(int outputChannels) => outputChannels >= 32;

    /// <summary>
    /// y [N, O, outH, outW] = conv2d(x [N, C, H, W], weight [O, C, kh, kw]) + bias [O] (bias may be empty), rectified
    /// when <paramref name="rectify"/> (v &gt; 0 ? v : <paramref name="slope"/> v).
    /// </summary>
    public static void Run(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> weight, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, ReadOnlySpan<float> bias, Span<float> y, bool rectify = false, float slope = 0f)
    {
        int taps = c * kh * kw, plane = outH * outW;
        if (x.Length < (long)n * c * h * w || weight.Length < (long)o * taps || y.Length < (long)n * o * plane
            || (!bias.IsEmpty && bias.Length < o))
            throw new ArgumentException("ConvKernel.Run: buffer too small for the sizes given.");
        if (n == 0 || o == 0 || plane == 0) return;
        if (taps == 0)
        {
            Im2Col.FillChannelBias(y, n, o, plane, bias);
            if (rectify) ElementwiseKernels.LeakyRelu(y[..(n * o * plane)], y, slope);
            return;
        }

        int images = ChannelTranspose.ImagesPerChunk(plane, n);
        int chunks = (n + images - 1) / images;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* packed = buffers.Get(0, (nuint)PackedB.Floats(taps, o));
            fixed (float* px = x, pw = weight, pb = bias, py = y)
            {
                PackedB.PackInto(true, pw, taps, taps, o, packed); // W^T: W is [O, taps]
                var job = new Job
                {
                    X = px, PackedW = packed, Bias = bias.IsEmpty ? null : pb, Y = py,
                    N = n, C = c, H = h, W = w, O = o, Kh = kh, Kw = kw, Stride = stride, Pad = pad, OutH = outH, OutW = outW,
                    Images = images, Rectify = rectify, Slope = slope,
                };
                ComputeThreads.Run(chunks, &ChunkPart, &job);
            }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    private static void ChunkPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int b0 = part * job.Images, b1 = Math.Min(job.N, b0 + job.Images);
        int plane = job.OutH * job.OutW, positions = (b1 - b0) * plane, o = job.O, taps = job.C * job.Kh * job.Kw;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* images = job.X + (long)b0 * job.C * job.H * job.W;
            int pitch = ChannelTranspose.Pitch(o);
            float* product = buffers.Get(0, (nuint)((long)positions * pitch));
            if (Im2Col.PacksPatches(job.C, job.Kh, job.Kw))
            {
                // DCGAN layers: the patches go straight into GEMM's packed A, no column matrix (1.08-1.10x on the 64->128 layer).
                float* padded = buffers.Get(2, (nuint)Im2Col.PaddedFloats(b1 - b0, job.C, job.H, job.W, job.Stride, job.Pad, job.OutH, job.OutW));
                float* packed = buffers.Get(1, (nuint)PackedA.Floats(positions, taps));
                Im2Col.PackPatchPanels4x4(images, b1 - b0, job.C, job.H, job.W, job.Stride, job.Pad, job.OutH, job.OutW, padded, packed);
                Gemm.SgemmPrepackedAB(positions, o, taps, packed, job.PackedW, product, pitch);
            }
            else
            {
                float* columns = buffers.Get(1, (nuint)((long)taps * positions));
                Im2Col.Unfold(images, b1 - b0, job.C, job.H, job.W, job.Kh, job.Kw, job.Stride, job.Pad, job.OutH, job.OutW, columns);
                Gemm.SgemmPrepacked(true, positions, o, taps, columns, positions, job.PackedW, product, pitch);
            }
            for (int b = b0; b < b1; b++)
                ChannelTranspose.Store(product + (long)(b - b0) * plane * pitch, plane, pitch, o, job.Y + (long)b * o * plane, plane, job.Bias,
                    job.Rectify, job.Slope);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }
}
