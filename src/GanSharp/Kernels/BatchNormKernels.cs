using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanSharp.Kernels;

/// <summary>
/// Batch normalisation over dense [N, C, inner] data (inner = H * W, or 1 for [N, C] features):
/// statistics per channel c over its N * inner values. Sums are accumulated in double per block.
/// </summary>
/// <remarks>
/// Channels are split among the <see cref="ComputeThreads"/>; each channel is computed by one
/// thread with the same operations whatever the split, so results do not depend on the thread count.
/// A DCGAN's planes are short (7x7, 14x14), so each pass is one fused vector loop per plane
/// rather than a chain of span calls.
/// </remarks>
internal static unsafe class BatchNormKernels
{
    /// <summary>Below this many values one thread does the whole pass (a hand-off costs about 1 us).</summary>
    private const int ParallelThreshold = 1 << 14;

    private struct Job
    {
        public float* X, G, Y, Mean, Variance, InvStd, Weight, Bias, DWeight, DBias;
        /// <summary>Backward: the output of the fused rectifier (its sign is the step), or null.</summary>
        public float* Rectified;
        public float Slope;
        public bool Rectify;
        public int N, C, Inner;
    }

    /// <summary>Per-channel mean and biased variance (two passes, so no cancellation).</summary>
    public static void Statistics(ReadOnlySpan<float> x, int n, int c, int inner, Span<float> mean, Span<float> variance)
    {
        Check(x, n, c, inner);
        fixed (float* px = x, pm = mean, pv = variance)
        {
            var job = new Job { X = px, Mean = pm, Variance = pv, N = n, C = c, Inner = inner };
            Run(&StatisticsPart, ref job);
        }
    }

    /// <summary>
    /// y = (x - mean) invStd weight + bias per channel; empty weight/bias mean 1 and 0. With <paramref name="rectify"/>,
    /// a (leaky) ReLU follows in the same pass: v &gt; 0 ? v : <paramref name="slope"/> v.
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> x, int n, int c, int inner, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, bool rectify = false, float slope = 0f)
    {
        Check(x, n, c, inner);
        Check(y, n, c, inner);
        fixed (float* px = x, pm = mean, pi = invStd, pw = weight, pb = bias, py = y)
        {
            var job = new Job
            {
                X = px, Mean = pm, InvStd = pi, Weight = weight.IsEmpty ? null : pw, Bias = bias.IsEmpty ? null : pb, Y = py,
                Rectify = rectify, Slope = slope, N = n, C = c, Inner = inner,
            };
            Run(&NormalizePart, ref job);
        }
    }

    /// <summary>
    /// The gradients of <see cref="Normalize"/> with batch statistics, given the upstream gradient g:
    /// dbias = sum g, dweight = sum g xhat, dx = weight invStd (g - mean(g) - xhat mean(g xhat)).
    /// With a non-empty <paramref name="rectified"/> (the output of a fused rectifier) g is first multiplied by the
    /// rectifier's step (1 where rectified &gt; 0, else <paramref name="slope"/>), on the fly. Empty output spans are skipped.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int n, int c, int inner, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> weight, Span<float> dx, Span<float> dweight, Span<float> dbias,
        ReadOnlySpan<float> rectified = default, float slope = 0f)
    {
        Check(g, n, c, inner);
        Check(x, n, c, inner);
        if (!dx.IsEmpty) Check(dx, n, c, inner);
        if (!rectified.IsEmpty) Check(rectified, n, c, inner);
        fixed (float* pg = g, px = x, pm = mean, pi = invStd, pw = weight, pdx = dx, pdw = dweight, pdb = dbias, pr = rectified)
        {
            var job = new Job
            {
                G = pg, X = px, Mean = pm, InvStd = pi, Weight = weight.IsEmpty ? null : pw,
                Y = dx.IsEmpty ? null : pdx, DWeight = dweight.IsEmpty ? null : pdw, DBias = dbias.IsEmpty ? null : pdb,
                Rectified = rectified.IsEmpty ? null : pr, Slope = slope, N = n, C = c, Inner = inner,
            };
            Run(&BackwardPart, ref job);
        }
    }

    private static void Check(ReadOnlySpan<float> data, int n, int c, int inner)
    {
        if (data.Length < (long)n * c * inner)
            throw new ArgumentException($"BatchNormKernels: {data.Length} values are fewer than [{n}, {c}, {inner}] needs.");
    }

    private static void Run(delegate*<int, int, void*, void> body, ref Job job)
    {
        long values = (long)job.N * job.C * job.Inner;
        int parts = values < ParallelThreshold ? 1 : Math.Min(ComputeThreads.Count, job.C);
        fixed (Job* context = &job) ComputeThreads.Run(parts, body, context);
    }

    /// <summary>Channels one pass handles at a time: their per-channel sums fit on the stack.</summary>
    private const int ChannelBlock = 256;

    // Every pass walks image by image over a block of channels, so it reads memory front to back (a channel's
    // rows are C * inner floats apart, too far for the prefetcher); each channel still sums its rows in image order.
    private static void StatisticsPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int inner = job.Inner;
        double count = (double)job.N * inner;
        double* sums = stackalloc double[ChannelBlock];
        for (int c0 = job.C * part / parts, end = job.C * (part + 1) / parts; c0 < end; c0 += ChannelBlock)
        {
            int c1 = Math.Min(end, c0 + ChannelBlock);
            new Span<double>(sums, c1 - c0).Clear();
            for (int b = 0; b < job.N; b++)
            {
                float* row = job.X + ((long)b * job.C + c0) * inner;
                for (int ch = c0; ch < c1; ch++, row += inner) sums[ch - c0] += Sum(row, inner);
            }
            for (int ch = c0; ch < c1; ch++) job.Mean[ch] = (float)(sums[ch - c0] / count);
            new Span<double>(sums, c1 - c0).Clear();
            for (int b = 0; b < job.N; b++)
            {
                float* row = job.X + ((long)b * job.C + c0) * inner;
                for (int ch = c0; ch < c1; ch++, row += inner) sums[ch - c0] += SquaredDeviations(row, inner, job.Mean[ch]);
            }
            for (int ch = c0; ch < c1; ch++) job.Variance[ch] = (float)(sums[ch - c0] / count);
        }
    }

    private static void NormalizePart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int inner = job.Inner;
        float* scales = stackalloc float[ChannelBlock];
        float* shifts = stackalloc float[ChannelBlock];
        for (int c0 = job.C * part / parts, end = job.C * (part + 1) / parts; c0 < end; c0 += ChannelBlock)
        {
            int c1 = Math.Min(end, c0 + ChannelBlock);
            for (int ch = c0; ch < c1; ch++)
            {
                float scale = job.InvStd[ch] * (job.Weight == null ? 1f : job.Weight[ch]);
                scales[ch - c0] = scale;
                shifts[ch - c0] = (job.Bias == null ? 0f : job.Bias[ch]) - job.Mean[ch] * scale;
            }
            for (int b = 0; b < job.N; b++)
            {
                long at = ((long)b * job.C + c0) * inner;
                for (int ch = c0; ch < c1; ch++, at += inner)
                {
                    if (job.Rectify) AffineRectify(job.X + at, scales[ch - c0], shifts[ch - c0], job.Slope, job.Y + at, inner);
                    else Affine(job.X + at, scales[ch - c0], shifts[ch - c0], job.Y + at, inner);
                }
            }
        }
    }

    private static void BackwardPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int inner = job.Inner;
        double count = (double)job.N * inner;
        double* sumG = stackalloc double[ChannelBlock];
        double* sumGCentered = stackalloc double[ChannelBlock];
        float* coefficients = stackalloc float[3 * ChannelBlock];
        for (int c0 = job.C * part / parts, end = job.C * (part + 1) / parts; c0 < end; c0 += ChannelBlock)
        {
            int c1 = Math.Min(end, c0 + ChannelBlock);
            new Span<double>(sumG, c1 - c0).Clear();
            new Span<double>(sumGCentered, c1 - c0).Clear();
            for (int b = 0; b < job.N; b++)
            {
                long at = ((long)b * job.C + c0) * inner;
                for (int ch = c0; ch < c1; ch++, at += inner)
                {
                    var (sg, sgx) = SumsOfGradient(job.G + at, job.X + at, job.Rectified == null ? null : job.Rectified + at, job.Slope, inner, job.Mean[ch]);
                    sumG[ch - c0] += sg;
                    sumGCentered[ch - c0] += sgx;
                }
            }
            for (int ch = c0; ch < c1; ch++)
            {
                float inv = job.InvStd[ch], sumGXhat = (float)(sumGCentered[ch - c0] * inv);
                if (job.DBias != null) job.DBias[ch] = (float)sumG[ch - c0];
                if (job.DWeight != null) job.DWeight[ch] = sumGXhat;
                // dx = a g + b x + k with a = w inv, b = -w inv^2 mean(g xhat), k = -a mean(g) - b mu.
                float a = (job.Weight == null ? 1f : job.Weight[ch]) * inv;
                float bx = (float)(-a * inv * sumGXhat / count);
                coefficients[3 * (ch - c0)] = a;
                coefficients[3 * (ch - c0) + 1] = bx;
                coefficients[3 * (ch - c0) + 2] = (float)(-a * sumG[ch - c0] / count) - bx * job.Mean[ch];
            }
            if (job.Y == null) continue;
            for (int b = 0; b < job.N; b++)
            {
                long at = ((long)b * job.C + c0) * inner;
                for (int ch = c0; ch < c1; ch++, at += inner)
                {
                    float* abk = coefficients + 3 * (ch - c0);
                    LinearCombination(job.G + at, job.Rectified == null ? null : job.Rectified + at, job.Slope, abk[0], job.X + at, abk[1], abk[2], job.Y + at, inner);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum(float* x, int length)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= length; i += 8) acc += Vector256.Load(x + i);
        float s = Vector256.Sum(acc);
        for (; i < length; i++) s += x[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SquaredDeviations(float* x, int length, float mu)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        var vmu = Vector256.Create(mu);
        for (; i + 8 <= length; i += 8)
        {
            var d = Vector256.Load(x + i) - vmu;
            acc += d * d;
        }
        float s = Vector256.Sum(acc);
        for (; i < length; i++)
        {
            float d = x[i] - mu;
            s += d * d;
        }
        return s;
    }

    /// <summary>Sums of g and g (x - mu), g times the rectifier's step first when <paramref name="rectified"/> is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float SumG, float SumGCentered) SumsOfGradient(float* g, float* x, float* rectified, float slope, int length, float mu)
    {
        int i = 0;
        var accG = Vector256<float>.Zero;
        var accGx = Vector256<float>.Zero;
        var vmu = Vector256.Create(mu);
        var vs = Vector256.Create(slope);
        for (; i + 8 <= length; i += 8)
        {
            var vg = Vector256.Load(g + i);
            if (rectified != null) vg *= Step(Vector256.Load(rectified + i), vs);
            accG += vg;
            accGx += vg * (Vector256.Load(x + i) - vmu);
        }
        float sg = Vector256.Sum(accG), sgx = Vector256.Sum(accGx);
        for (; i < length; i++)
        {
            float gi = rectified == null ? g[i] : g[i] * (rectified[i] > 0 ? 1f : slope);
            sg += gi;
            sgx += gi * (x[i] - mu);
        }
        return (sg, sgx);
    }

    /// <summary>1 where r &gt; 0, else the slope: the (leaky) ReLU's derivative read off its output, as <see cref="ElementwiseKernels.StepProduct"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step(Vector256<float> r, Vector256<float> slope) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(r, Vector256<float>.Zero), Vector256<float>.One, slope);

    /// <summary>y = x scale + shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Affine(float* x, float scale, float shift, float* y, int length)
    {
        int i = 0;
        var vs = Vector256.Create(scale);
        var vt = Vector256.Create(shift);
        for (; i + 8 <= length; i += 8) (Vector256.Load(x + i) * vs + vt).Store(y + i);
        for (; i < length; i++) y[i] = x[i] * scale + shift;
    }

    /// <summary>v = x scale + shift, y = v &gt; 0 ? v : slope v (as <see cref="ElementwiseKernels.LeakyRelu"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineRectify(float* x, float scale, float shift, float slope, float* y, int length)
    {
        int i = 0;
        var vs = Vector256.Create(scale);
        var vt = Vector256.Create(shift);
        var vslope = Vector256.Create(slope);
        for (; i + 8 <= length; i += 8)
        {
            var v = Vector256.Load(x + i) * vs + vt;
            ElementwiseKernels.Rectify(v, vslope).Store(y + i);
        }
        for (; i < length; i++)
        {
            float v = x[i] * scale + shift;
            y[i] = v > 0 ? v : slope * v;
        }
    }

    /// <summary>y = a g' + b x + k, g' = g times the rectifier's step when <paramref name="rectified"/> is not null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LinearCombination(float* g, float* rectified, float slope, float a, float* x, float b, float k, float* y, int length)
    {
        int i = 0;
        var va = Vector256.Create(a);
        var vb = Vector256.Create(b);
        var vk = Vector256.Create(k);
        var vs = Vector256.Create(slope);
        for (; i + 8 <= length; i += 8)
        {
            var vg = Vector256.Load(g + i);
            if (rectified != null) vg *= Step(Vector256.Load(rectified + i), vs);
            (vg * va + (Vector256.Load(x + i) * vb + vk)).Store(y + i);
        }
        for (; i < length; i++)
        {
            float gi = rectified == null ? g[i] : g[i] * (rectified[i] > 0 ? 1f : slope);
            y[i] = gi * a + (x[i] * b + k);
        }
    }
}
