using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// Convolutions the chunked kernels do not take (few channels on one side, or kernels other than 4x4), as GEMMs
/// on each image's own [C, H W] planes: y_b = W cols(x_b), cols(y_b) = W^T x_b folded, dW += g_b cols(x_b)^T.
/// </summary>
/// <remarks>
/// <para>
/// A batch-wide GEMM would need the batch axis moved inward ([N, C, plane] to [C, N plane]), a pass over
/// the whole activation (3.2 MB for a DCGAN's first layer) each way; per image, every operand is read in
/// place and the columns of one image (or a few) stay in L2.
/// </para>
/// <para>
/// Images are split into a fixed number of groups, whatever the thread count, that the
/// <see cref="ComputeThreads"/> claim; GEMMs called from a group run on its thread. The weight gradient
/// sums the groups' partial products in group order, so every result is the same for any thread count.
/// </para>
/// </remarks>
internal static unsafe class PerImageConv
{
    /// <summary>Most image groups a call is split into (enough for a few threads to share evenly).</summary>
    private const int MaxGroups = 16;

    /// <summary>Floats the weight gradient's partial sums may take together (4 MB); larger weights get fewer groups.</summary>
    private const long PartialFloats = 1 << 20;

    private struct Job
    {
        public float* X, Weight, GradOutput, Bias, Y, Partials;
        public int N, C, H, W, O, Kh, Kw, Stride, Pad, OutH, OutW, Groups;
        /// <summary>Forward only: rectify the output (v &gt; 0 ? v : Slope v).</summary>
        public bool Rectify;
        public float Slope;
        /// <summary>Transposed only: Weight holds W^T [O kh kw, C], and each image's columns are multiplied directly.</summary>
        public bool Direct;
    }

    /// <summary>
    /// y [N, O, outH, outW] = conv2d(x [N, C, H, W], weight [O, C, kh, kw]) + bias [O] (bias may be null), rectified
    /// when <paramref name="rectify"/> (v &gt; 0 ? v : <paramref name="slope"/> v).
    /// </summary>
    public static void Forward(float* x, int n, int c, int h, int w, float* weight, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, float* bias, float* y, bool rectify = false, float slope = 0f)
    {
        var job = NewJob(x, n, c, h, w, weight, o, kh, kw, stride, pad, outH, outW, bias, y, Math.Min(n, MaxGroups));
        job.Rectify = rectify;
        job.Slope = slope;
        ComputeThreads.Run(job.Groups, &ForwardGroup, &job);
    }

    /// <summary>
    /// y [N, O, outH, outW] = conv_transpose2d(x [N, C, H, W], weight [C, O, kh, kw]) + bias [O] (bias may be null),
    /// the adjoint of <see cref="Forward"/> mapping [O, outH, outW] planes to [C, H, W] ones.
    /// </summary>
    public static void Transposed(float* x, int n, int c, int h, int w, float* weight, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, float* bias, float* y)
    {
        var job = NewJob(x, n, c, h, w, weight, o, kh, kw, stride, pad, outH, outW, bias, y, Math.Min(n, MaxGroups));
        int taps = o * kh * kw;
        if (!MultipliesDirectly(c, h * w))
        {
            ComputeThreads.Run(job.Groups, &TransposedGroup, &job);
            return;
        }
        var buffers = ScratchBuffers.Rent();
        try
        {
            // Few input channels: each image's columns are W^T [O kh kw, C] times its planes [C, H W], multiplied directly.
            float* transposed = buffers.Get(0, (nuint)((long)taps * c));
            for (int ch = 0; ch < c; ch++)
                for (int t = 0; t < taps; t++) transposed[(long)t * c + ch] = weight[(long)ch * taps + t];
            job.Weight = transposed;
            job.Direct = true;
            ComputeThreads.Run(job.Groups, &TransposedGroup, &job);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>dw [O, C, kh, kw] = sum over images of gradOutput_b [O, outH outW] cols(x_b)^T, x [N, C, H, W].</summary>
    public static void WeightGrad(float* x, int n, int c, int h, int w, float* gradOutput, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, float* dw)
    {
        long weightFloats = (long)o * c * kh * kw;
        if (n == 0)
        {
            new Span<float>(dw, checked((int)weightFloats)).Clear();
            return;
        }
        int groups = (int)Math.Clamp(PartialFloats / Math.Max(1, weightFloats), 1, Math.Min(n, MaxGroups));
        var buffers = ScratchBuffers.Rent();
        try
        {
            // Group 0 sums straight into dw; the others into partials, added to it in group order.
            float* partials = groups > 1 ? buffers.Get(0, (nuint)((groups - 1) * weightFloats)) : null;
            var job = NewJob(x, n, c, h, w, null, o, kh, kw, stride, pad, outH, outW, null, dw, groups);
            job.GradOutput = gradOutput;
            job.Partials = partials;
            ComputeThreads.Run(groups, &WeightGradGroup, &job);
            for (int g = 1; g < groups; g++)
            {
                float* partial = partials + (g - 1) * weightFloats;
                for (long i = 0; i < weightFloats; i++) dw[i] += partial[i];
            }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    private static Job NewJob(float* x, int n, int c, int h, int w, float* weight, int o, int kh, int kw,
        int stride, int pad, int outH, int outW, float* bias, float* y, int groups) => new()
    {
        X = x, Weight = weight, Bias = bias, Y = y, N = n, C = c, H = h, W = w, O = o, Kh = kh, Kw = kw,
        Stride = stride, Pad = pad, OutH = outH, OutW = outW, Groups = groups,
    };

    /// <summary>The images [b0, b1) of group <paramref name="group"/>.</summary>
    private static (int B0, int B1) Images(in Job job, int group) =>
        (job.N * group / job.Groups, job.N * (group + 1) / job.Groups);

    /// <summary>
    /// Whether a product with few taps (K ≤ 64) over planes of 16+ positions is multiplied directly
    /// (<see cref="MultiplyColumns"/>) rather than by GEMM, which would spend its time writing C, not multiplying:
    /// the forward pass's W cols(x_b) (16 taps in a DCGAN's first layer) and the transposed pass's W^T x_b (its 64 channels).
    /// </summary>
    public static bool MultipliesDirectly(int taps, int plane) => taps <= 64 && plane >= 16 && Vector256.IsHardwareAccelerated;

    private static void ForwardGroup(int group, int groups, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (b0, b1) = Images(job, group);
        int taps = job.C * job.Kh * job.Kw, plane = job.OutH * job.OutW, o = job.O, positions = (b1 - b0) * plane;
        var buffers = ScratchBuffers.Rent();
        try
        {
            if (MultipliesDirectly(taps, plane))
            {
                // Image by image: its columns [taps, plane] stay in L1 while every channel's plane is written once, finished.
                float* imageColumns = buffers.Get(0, (nuint)((long)taps * plane));
                for (int b = b0; b < b1; b++)
                {
                    Im2Col.Unfold(job.X + (long)b * job.C * job.H * job.W, 1, job.C, job.H, job.W, job.Kh, job.Kw,
                        job.Stride, job.Pad, job.OutH, job.OutW, imageColumns);
                    MultiplyColumns(job.Weight, imageColumns, taps, plane, o, job.Bias, job.Rectify, job.Slope, job.Y + (long)b * o * plane, plane);
                }
                return;
            }

            // One GEMM over the group's positions, product [O, positions], then each image's planes moved out.
            float* columns = buffers.Get(0, (nuint)((long)taps * positions));
            float* product = buffers.Get(1, (nuint)((long)o * positions));
            Im2Col.Unfold(job.X + (long)b0 * job.C * job.H * job.W, b1 - b0, job.C, job.H, job.W, job.Kh, job.Kw,
                job.Stride, job.Pad, job.OutH, job.OutW, columns);
            Gemm.Sgemm(false, false, o, positions, taps, 1f, job.Weight, taps, columns, positions, 0f, product, positions);
            for (int b = b0; b < b1; b++)
                for (int ch = 0; ch < o; ch++)
                {
                    var source = new ReadOnlySpan<float>(product + (long)ch * positions + (b - b0) * plane, plane);
                    var target = new Span<float>(job.Y + ((long)b * o + ch) * plane, plane);
                    if (job.Bias == null) source.CopyTo(target);
                    else System.Numerics.Tensors.TensorPrimitives.Add(source, job.Bias[ch], target);
                    if (job.Rectify) ElementwiseKernels.LeakyRelu(target, target, job.Slope);
                }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>
    /// y [o, plane] = W [o, taps] columns [taps, plane] + bias [o] (bias may be null), rectified when asked
    /// (v &gt; 0 ? v : slope v): 4 channels x 16 positions in registers, each summed over the taps in order. The last
    /// tile of a plane overlaps the one before it (it rewrites the same values). Needs plane &gt;= 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // its loops would otherwise run unoptimized, helpers not inlined, until tiering catches up
    private static void MultiplyColumns(float* weight, float* columns, int taps, int plane, int o, float* bias, bool rectify, float slope, float* y, int ldy)
    {
        var vslope = Vector256.Create(slope);
        int ch = 0;
        for (; ch + 4 <= o; ch += 4)
        {
            float* w0 = weight + (long)ch * taps, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps;
            for (int p = 0; p < plane; p += 16)
            {
                int p0 = Math.Min(p, plane - 16);
                Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
                float* column = columns + p0;
                for (int t = 0; t < taps; t++, column += plane)
                {
                    var lo = Vector256.Load(column);
                    var hi = Vector256.Load(column + 8);
                    var k0 = Vector256.Create(w0[t]);
                    a0 = MultiplyAdd(lo, k0, a0); b0 = MultiplyAdd(hi, k0, b0);
                    var k1 = Vector256.Create(w1[t]);
                    a1 = MultiplyAdd(lo, k1, a1); b1 = MultiplyAdd(hi, k1, b1);
                    var k2 = Vector256.Create(w2[t]);
                    a2 = MultiplyAdd(lo, k2, a2); b2 = MultiplyAdd(hi, k2, b2);
                    var k3 = Vector256.Create(w3[t]);
                    a3 = MultiplyAdd(lo, k3, a3); b3 = MultiplyAdd(hi, k3, b3);
                }
                float* row = y + (long)ch * ldy + p0;
                StoreOutput(a0, b0, bias, ch, rectify, vslope, row);
                StoreOutput(a1, b1, bias, ch + 1, rectify, vslope, row + ldy);
                StoreOutput(a2, b2, bias, ch + 2, rectify, vslope, row + 2 * ldy);
                StoreOutput(a3, b3, bias, ch + 3, rectify, vslope, row + 3 * ldy);
            }
        }
        for (; ch < o; ch++)
        {
            float* w0 = weight + (long)ch * taps;
            for (int p = 0; p < plane; p += 16)
            {
                int p0 = Math.Min(p, plane - 16);
                Vector256<float> a0 = default, b0 = default;
                float* column = columns + p0;
                for (int t = 0; t < taps; t++, column += plane)
                {
                    var k0 = Vector256.Create(w0[t]);
                    a0 = MultiplyAdd(Vector256.Load(column), k0, a0);
                    b0 = MultiplyAdd(Vector256.Load(column + 8), k0, b0);
                }
                StoreOutput(a0, b0, bias, ch, rectify, vslope, y + (long)ch * ldy + p0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOutput(Vector256<float> lo, Vector256<float> hi, float* bias, int channel, bool rectify, Vector256<float> slope, float* y)
    {
        if (bias != null)
        {
            var add = Vector256.Create(bias[channel]);
            lo += add;
            hi += add;
        }
        if (rectify)
        {
            lo = ElementwiseKernels.Rectify(lo, slope);
            hi = ElementwiseKernels.Rectify(hi, slope);
        }
        lo.Store(y);
        hi.Store(y + 8);
    }

    private static void TransposedGroup(int group, int groups, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (b0, b1) = Images(job, group);
        if (b0 == b1) return;
        int taps = job.O * job.Kh * job.Kw, plane = job.H * job.W, outPlane = job.OutH * job.OutW;
        int positions = (b1 - b0) * plane;
        var buffers = ScratchBuffers.Rent();
        try
        {
            // The group's columns [O kh kw, images plane], one image's block of columns at a time, folded together.
            float* columns = buffers.Get(0, (nuint)((long)taps * positions));
            for (int b = b0; b < b1; b++)
            {
                if (job.Direct)
                    MultiplyColumns(job.Weight, job.X + (long)b * job.C * plane, job.C, plane, taps, null, false, 0f,
                        columns + (long)(b - b0) * plane, positions);
                else
                    Gemm.Sgemm(true, false, taps, plane, job.C, 1f, job.Weight, taps, job.X + (long)b * job.C * plane, plane,
                        0f, columns + (long)(b - b0) * plane, positions);
            }
            float* y = job.Y + (long)b0 * job.O * outPlane;
            long outFloats = (long)(b1 - b0) * job.O * outPlane;
            Im2Col.Fold(new ReadOnlySpan<float>(columns, checked((int)((long)taps * positions))), b1 - b0, job.O, job.OutH, job.OutW,
                job.Kh, job.Kw, job.Stride, job.Pad, job.H, job.W, new Span<float>(y, checked((int)outFloats)));
            if (job.Bias != null)
                for (int b = b0; b < b1; b++)
                    for (int ch = 0; ch < job.O; ch++)
                    {
                        var outputPlane = new Span<float>(y + ((long)(b - b0) * job.O + ch) * outPlane, outPlane);
                        System.Numerics.Tensors.TensorPrimitives.Add(outputPlane, job.Bias[ch], outputPlane);
                    }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    private static void WeightGradGroup(int group, int groups, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (b0, b1) = Images(job, group);
        int taps = job.C * job.Kh * job.Kw, plane = job.OutH * job.OutW, o = job.O, positions = (b1 - b0) * plane;
        float* dw = group == 0 ? job.Y : job.Partials + (long)(group - 1) * o * taps;
        var buffers = ScratchBuffers.Rent();
        try
        {
            // One GEMM over the group's positions: its columns [taps, positions] times its gradients, packed straight
            // from [images, O, plane] as GEMM's A [O, positions].
            float* columns = buffers.Get(0, (nuint)((long)taps * positions));
            float* packedG = buffers.Get(1, (nuint)PackedA.Floats(o, positions));
            Im2Col.Unfold(job.X + (long)b0 * job.C * job.H * job.W, b1 - b0, job.C, job.H, job.W, job.Kh, job.Kw,
                job.Stride, job.Pad, job.OutH, job.OutW, columns);
            PackedA.PackBatchMajor(job.GradOutput + (long)b0 * o * plane, b1 - b0, o, plane, packedG);
            var problem = Gemm.PrepackedProblem(o, taps, positions, packedG, null, dw, taps, 0f);
            problem.B = columns; // B = columns^T, packed strip by strip as GEMM goes
            problem.TransB = true;
            problem.Ldb = positions;
            Gemm.RunStrips(ref problem, 0, (taps + GemmBlocking.NR - 1) / GemmBlocking.NR);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }
}
