namespace GanSharp.Kernels;

/// <summary>
/// The weight gradient of a 4x4 convolution, dW [O, C, 4, 4] = sum over the batch of gradOutput times the
/// input's patches, a few images at a time, without a column matrix or a channel-major copy of gradOutput.
/// </summary>
/// <remarks>
/// <para>
/// Per chunk of images (about 1 MB of patches) one GEMM adds dW += G P^T: G = the chunk's gradOutput as
/// [O, positions] and P^T its patches, 16 taps per channel, so strip c of GEMM's packed B is channel c's
/// 4x4 patches (<see cref="Im2Col.PackPatches4x4"/>). Each compute thread takes a range of channels and, in
/// one part, goes through the chunks packing their patches and multiplying their strips, in buffers of its own:
/// no barrier anywhere, and a thread reads only the strips it wrote. G is packed straight from [N, O, plane] by every part.
/// </para>
/// <para>
/// Chunk products are added in batch order, and each element of dW is one thread's: the same sums whatever
/// the thread count, and the same floats as unfolding the columns and calling <see cref="Gemm"/>.
/// </para>
/// </remarks>
internal static unsafe class ConvWeightGradKernel
{
    /// <summary>Floats of patches packed at a time (1 MB: they stay in L2).</summary>
    private const int ChunkFloats = 1 << 18;

    private struct Job
    {
        public float* X, G;
        public int N, C, H, W, O, Stride, Pad, OutH, OutW, Images;
        /// <summary>dW's GEMM with the micro-kernels chosen on the caller's thread; each part sets K, beta and operands per chunk.</summary>
        public GemmProblem Problem;
    }

    /// <summary>dw [O, C, 4, 4] = d conv2d(x [N, C, H, W], W) / d W contracted with gradOutput [N, O, outH, outW].</summary>
    public static void Run(ReadOnlySpan<float> x, int n, int c, int h, int w, ReadOnlySpan<float> gradOutput, int o,
        int stride, int pad, int outH, int outW, Span<float> dw)
    {
        int plane = outH * outW, taps = 16 * c;
        if (x.Length < (long)n * c * h * w || gradOutput.Length < (long)n * o * plane || dw.Length < (long)o * taps)
            throw new ArgumentException("ConvWeightGradKernel.Run: buffer too small for the sizes given.");
        if (o == 0 || c == 0) return;
        if (n == 0 || plane == 0)
        {
            dw[..(o * taps)].Clear();
            return;
        }

        int images = Math.Clamp(ChunkFloats / Math.Max(1, taps * plane), 1, n);
        fixed (float* px = x, pg = gradOutput, pdw = dw)
        {
            var job = new Job
            {
                X = px, G = pg, N = n, C = c, H = h, W = w, O = o, Stride = stride, Pad = pad, OutH = outH, OutW = outW, Images = images,
                // Chosen here, on the caller's thread: the test hooks are per thread.
                Problem = Gemm.PrepackedProblem(o, taps, images * plane, null, null, pdw, taps, 0f),
            };
            int parts = Math.Max(1, Math.Min(ComputeThreads.Count, c / 2)); // whole pairs of channels (strip pairs for the wide kernel)
            ComputeThreads.Run(parts, &ChannelsPart, &job);
        }
    }

    /// <summary>Part <paramref name="part"/>'s channels, chunk after chunk: with buffers of its own it never waits for another part.</summary>
    private static void ChannelsPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int c0 = part == 0 ? 0 : job.C * part / parts & ~1, c1 = part == parts - 1 ? job.C : job.C * (part + 1) / parts & ~1;
        int plane = job.OutH * job.OutW, taps = 16 * job.C, most = job.Images * plane;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* packedG = buffers.Get(0, (nuint)PackedA.Floats(job.O, most));
            float* patches = buffers.Get(1, (nuint)PackedB.Floats(most, taps)); // only this part's strips are written and read
            for (int b0 = 0; b0 < job.N; b0 += job.Images)
            {
                int images = Math.Min(job.Images, job.N - b0), positions = images * plane;
                Im2Col.PackPatches4x4(job.X + (long)b0 * job.C * job.H * job.W, images, job.C, c0, c1, job.H, job.W,
                    job.Stride, job.Pad, job.OutH, job.OutW, patches);
                PackedA.PackBatchMajor(job.G + (long)b0 * job.O * plane, images, job.O, plane, packedG);
                GemmProblem problem = job.Problem;
                problem.K = positions;
                problem.Lda = positions;
                problem.Beta = b0 == 0 ? 0f : 1f; // chunk products are added in batch order
                problem.PackedA = packedG;
                problem.PackedB = patches;
                Gemm.RunStrips(ref problem, c0, c1 - c0);
            }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }
}
