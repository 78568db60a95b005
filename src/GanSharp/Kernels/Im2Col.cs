using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Kernels;

/// <summary>
/// The lowering of 2-D convolution to GEMM. A batch of images [N, C, H, W] is unrolled into a
/// column matrix [C * kh * kw, N * outH * outW]: row (c, i, j) holds, for every output position of
/// every image, the input pixel that kernel tap (i, j) of channel c sees there (0 in the padding).
/// The output grid (outH, outW) is that of the convolution: (H + 2 pad - kh) / stride + 1.
/// Fold is the exact adjoint: it sums each column entry back onto the pixel it came from.
/// <para>
/// Both work one channel at a time through zero-padded copies of its image planes, so that every
/// tap reads (or accumulates into) a padded plane on the output grid shifted by (i, j): no bounds
/// tests in the inner loop, whatever the stride. Strides 1 and 2 (every DCGAN layer) move a grid
/// row 8 outputs at a time with AVX2; other strides, or no AVX2, go element by element.
/// Fold splits channels (or, when there are fewer channels than threads, images) among the
/// <see cref="ComputeThreads"/>; each (image, channel) plane is written by one thread only.
/// </para>
/// </summary>
internal static unsafe class Im2Col
{
    // Per-thread scratch for the padded planes, grown on demand (allocation-free once warm).
    [ThreadStatic] private static float[]? _padded;

    /// <summary>Floats past the last padded plane that a vector may read (stride 2 reads 16 floats for 8 outputs).</summary>
    private const int Slack = 16;

    /// <summary>One Unfold or Fold call, shared with the ComputeThreads workers through a pointer.</summary>
    private struct Job
    {
        public float* Image, Columns;
        public int N, C, H, W, Kh, Kw, Stride, OutH, OutW, Plane;
        public PaddedPlane Layout;
    }

    /// <summary>The columns [C kh kw, N outH outW] of <paramref name="n"/> images, on the calling thread (the convolution kernels split the batch among threads themselves).</summary>
    public static void Unfold(float* image, int n, int c, int h, int w, int kh, int kw, int stride, int pad,
        int outH, int outW, float* columns)
    {
        var job = NewJob(image, columns, n, c, h, w, kh, kw, stride, pad, outH, outW);
        UnfoldRange(job, 0, c, 0, n);
    }

    /// <summary>
    /// Whether a convolution's patches are packed straight into GEMM's layouts (<see cref="PackPatchPanels4x4"/> in
    /// <see cref="ConvKernel"/>, <see cref="PackPatches4x4"/> in <see cref="ConvWeightGradKernel"/>) rather than
    /// unfolded into columns: 4x4 kernels with 8+ input channels. With fewer channels the column path measured
    /// faster for both (0.82-0.96x for the patches with one channel).
    /// </summary>
    public static bool PacksPatches(int c, int kh, int kw) => kh == 4 && kw == 4 && c >= 8;

    /// <summary>
    /// The transposed columns of images [0, n) for a 4 x 4 kernel, written straight in <see cref="PackedB"/>'s layout
    /// (op(B) = columns^T, k = n outH outW positions, n = 16 C taps): with 16 taps per channel, strip c holds channel
    /// c's taps, and its row for a position is the channel's 4 x 4 patch there (four 4-float copies from a padded
    /// plane). The same floats <see cref="Unfold"/> and GEMM's packing would put there, without the column matrix.
    /// Only channels [c0, c1) (their strips), on the calling thread; <paramref name="packed"/> holds PackedB.Floats(n outH outW, 16 C) floats.
    /// </summary>
    public static void PackPatches4x4(float* image, int n, int c, int c0, int c1, int h, int w, int stride, int pad, int outH, int outW, float* packed)
    {
        var job = NewJob(image, packed, n, c, h, w, 4, 4, stride, pad, outH, outW);
        int positions = job.N * job.Plane, kc = GemmBlocking.KcFor(positions), width = job.Layout.Width;
        long blockStride = (long)kc * job.C * GemmBlocking.NR; // floats of one full K block (all strips)
        fixed (float* plane = Scratch(ref _padded, job.Layout.Length + Slack))
        {
            for (int ch = c0; ch < c1; ch++)
            {
                // Position by position through the K blocks (no division per position: it cost more than the copies).
                int block = 0, row = 0, rows = Math.Min(kc, positions); // the K block's own kc
                float* dst = job.Columns + (long)ch * rows * GemmBlocking.NR;
                for (int b = 0; b < job.N; b++)
                {
                    job.Layout.Load(job.Image + (long)(b * job.C + ch) * job.H * job.W, plane);
                    for (int oy = 0; oy < job.OutH; oy++)
                        for (int ox = 0; ox < job.OutW; ox++)
                        {
                            float* src = plane + oy * job.Stride * width + ox * job.Stride;
                            Vector128.Store(Vector128.Load(src), dst);
                            Vector128.Store(Vector128.Load(src + width), dst + 4);
                            Vector128.Store(Vector128.Load(src + 2 * width), dst + 8);
                            Vector128.Store(Vector128.Load(src + 3 * width), dst + 12);
                            dst += GemmBlocking.NR;
                            if (++row == rows && ++block * kc < positions)
                            {
                                row = 0;
                                rows = Math.Min(kc, positions - block * kc);
                                dst = job.Columns + block * blockStride + (long)ch * rows * GemmBlocking.NR;
                            }
                        }
                }
            }
        }
    }

    /// <summary>
    /// The transposed columns of images [0, n) for a 4 x 4 kernel as op(A) (m = n outH outW positions, k = 16 C taps),
    /// written straight in <see cref="PackedA"/>'s layout: the same floats <see cref="Unfold"/> and GEMM's packing
    /// would put there, without the column matrix. Each channel row of a 6-position panel is six 4-float loads from
    /// padded planes, transposed in registers. On the calling thread; <paramref name="padded"/> holds
    /// <see cref="PaddedFloats"/> floats, <paramref name="packed"/> PackedA.Floats(m, 16 C).
    /// </summary>
    public static void PackPatchPanels4x4(float* image, int n, int c, int h, int w, int stride, int pad, int outH, int outW,
        float* padded, float* packed)
    {
        var layout = new PaddedPlane(h, w, 4, 4, stride, pad, outH, outW);
        int length = layout.Length, width = layout.Width, plane = outH * outW;
        for (int q = 0; q < n * c; q++) layout.Load(image + (long)q * h * w, padded + (long)q * length);

        int m = n * plane, taps = 16 * c, kcStd = GemmBlocking.KcFor(taps);
        int* offsets = stackalloc int[GemmBlocking.MR];
        for (int pc = 0; pc < taps; pc += kcStd)
        {
            int kc = Math.Min(kcStd, taps - pc);
            for (int i0 = 0; i0 < m; i0 += GemmBlocking.MR)
            {
                int rows = Math.Min(GemmBlocking.MR, m - i0);
                for (int r = 0; r < rows; r++)
                {
                    int position = i0 + r, b = position / plane, q = position - b * plane, oy = q / outW, ox = q - oy * outW;
                    offsets[r] = b * c * length + oy * stride * width + ox * stride;
                }
                float* dst = PackedA.Panel(packed, m, pc, kc, i0);
                for (int k = pc; k < pc + kc;)
                {
                    int channel = k >> 4, ky = (k >> 2) & 3, kx = k & 3;
                    int tap = channel * length + ky * width;
                    float* d = dst + (k - pc) * GemmBlocking.MR;
                    if (rows == GemmBlocking.MR && kx == 0 && k + 4 <= pc + kc && Sse.IsSupported)
                    {
                        // Rows r0..r5 are 4 taps of one position; the panel wants, per tap, the 6 positions.
                        Transpose6x4(padded + tap, offsets, d);
                        k += 4;
                        continue;
                    }
                    for (int r = 0; r < GemmBlocking.MR; r++) d[r] = r < rows ? padded[offsets[r] + tap + kx] : 0f;
                    k++;
                }
            }
        }
    }

    /// <summary>Floats of padded planes <see cref="PackPatchPanels4x4"/> needs for n images of c channels.</summary>
    public static long PaddedFloats(int n, int c, int h, int w, int stride, int pad, int outH, int outW) =>
        (long)n * c * new PaddedPlane(h, w, 4, 4, stride, pad, outH, outW).Length + Slack;

    /// <summary>
    /// d[t * 6 + r] = source[offsets[r] + t] for t &lt; 4, r &lt; 6 (24 floats), with 4x4 and 2x4 register transposes.
    /// Writes 2 floats past the 24: the next taps' place, or the packed buffer's slack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose6x4(float* source, int* offsets, float* d)
    {
        var r0 = Vector128.Load(source + offsets[0]);
        var r1 = Vector128.Load(source + offsets[1]);
        var r2 = Vector128.Load(source + offsets[2]);
        var r3 = Vector128.Load(source + offsets[3]);
        var r4 = Vector128.Load(source + offsets[4]);
        var r5 = Vector128.Load(source + offsets[5]);
        Vector128<float> lo01 = Sse.UnpackLow(r0, r1), lo23 = Sse.UnpackLow(r2, r3);   // taps 0, 1
        Vector128<float> hi01 = Sse.UnpackHigh(r0, r1), hi23 = Sse.UnpackHigh(r2, r3); // taps 2, 3
        Vector128<float> lo45 = Sse.UnpackLow(r4, r5), hi45 = Sse.UnpackHigh(r4, r5);
        // Each store of rows 4-5 writes two floats too many; the next tap's rows 0-3 overwrite them.
        Vector128.Store(Sse.MoveLowToHigh(lo01, lo23), d);
        Vector128.Store(lo45, d + 4);
        Vector128.Store(Sse.MoveHighToLow(lo23, lo01), d + 6);
        Vector128.Store(Sse.MoveHighToLow(lo45, lo45), d + 10);
        Vector128.Store(Sse.MoveLowToHigh(hi01, hi23), d + 12);
        Vector128.Store(hi45, d + 16);
        Vector128.Store(Sse.MoveHighToLow(hi23, hi01), d + 18);
        Vector128.Store(Sse.MoveHighToLow(hi45, hi45), d + 22);
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: overwrites <paramref name="image"/> with the sum of the columns' contributions.</summary>
    public static void Fold(ReadOnlySpan<float> columns, int n, int c, int h, int w, int kh, int kw, int stride, int pad,
        int outH, int outW, Span<float> image)
    {
        if (image.Length < n * c * h * w || columns.Length < c * kh * kw * n * outH * outW)
            throw new ArgumentException("Im2Col.Fold: buffer too small for the sizes given.");
        fixed (float* image0 = image, columns0 = columns)
            Run(&FoldPart, image0, columns0, n, c, h, w, kh, kw, stride, pad, outH, outW);
    }

    /// <summary>Splits the channels (or, with fewer channels than threads, the batch) among the compute threads.</summary>
    private static void Run(delegate*<int, int, void*, void> body, float* image, float* columns, int n, int c, int h, int w,
        int kh, int kw, int stride, int pad, int outH, int outW)
    {
        var job = NewJob(image, columns, n, c, h, w, kh, kw, stride, pad, outH, outW);
        int parts = Math.Min(ComputeThreads.Count, Math.Max(c, n));
        ComputeThreads.Run(parts, body, &job);
    }

    private static Job NewJob(float* image, float* columns, int n, int c, int h, int w, int kh, int kw, int stride, int pad, int outH, int outW) => new()
    {
        Image = image, Columns = columns, N = n, C = c, H = h, W = w, Kh = kh, Kw = kw,
        Stride = stride, OutH = outH, OutW = outW, Plane = outH * outW,
        Layout = new PaddedPlane(h, w, kh, kw, stride, pad, outH, outW),
    };

    /// <summary>The channels [c0, c1) and images [b0, b1) of part <paramref name="part"/>.</summary>
    private static void Share(in Job job, int part, int parts, out int c0, out int c1, out int b0, out int b1)
    {
        (c0, c1, b0, b1) = (0, job.C, 0, job.N);
        if (job.C >= parts) (c0, c1) = (job.C * part / parts, job.C * (part + 1) / parts);
        else (b0, b1) = (job.N * part / parts, job.N * (part + 1) / parts);
    }

    /// <summary>The column rows of channels [c0, c1), in the columns of images [b0, b1).</summary>
    private static void UnfoldRange(in Job job, int c0, int c1, int b0, int b1)
    {
        int plane = job.Plane, rowLength = job.N * plane, padded = job.Layout.Length, width = job.Layout.Width;
        // Channel by channel: its padded planes stay in cache while each column row is written front to back.
        fixed (float* planes = Scratch(ref _padded, padded * (b1 - b0) + Slack))
        {
            for (int ch = c0; ch < c1; ch++)
            {
                for (int b = b0; b < b1; b++) job.Layout.Load(job.Image + (long)(b * job.C + ch) * job.H * job.W, planes + (long)(b - b0) * padded);
                for (int i = 0; i < job.Kh; i++)
                    for (int j = 0; j < job.Kw; j++)
                    {
                        float* dst = job.Columns + (long)((ch * job.Kh + i) * job.Kw + j) * rowLength + (long)b0 * plane;
                        float* src = planes + i * width + j;
                        // An image's grid may spill into the following images' grids (written after it), never past this part's last.
                        for (int b = b0; b < b1; b++, dst += plane, src += padded)
                            GatherGrid(src, dst, job.OutH, job.OutW, job.Stride, width, available: (b1 - b) * plane);
                    }
            }
        }
    }

    private static void FoldPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        Share(job, part, parts, out int c0, out int c1, out int b0, out int b1);
        int plane = job.Plane, rowLength = job.N * plane, padded = job.Layout.Length, width = job.Layout.Width;
        fixed (float* planes = Scratch(ref _padded, padded * (b1 - b0) + Slack))
        {
            for (int ch = c0; ch < c1; ch++)
            {
                new Span<float>(planes, padded * (b1 - b0) + Slack).Clear();
                for (int i = 0; i < job.Kh; i++)
                    for (int j = 0; j < job.Kw; j++)
                    {
                        float* src = job.Columns + (long)((ch * job.Kh + i) * job.Kw + j) * rowLength + (long)b0 * plane;
                        float* dst = planes + i * width + j;
                        for (int b = b0; b < b1; b++, src += plane, dst += padded)
                            ScatterAddGrid(src, dst, job.OutH, job.OutW, job.Stride, width);
                    }
                for (int b = b0; b < b1; b++) job.Layout.Store(planes + (long)(b - b0) * padded, job.Image + (long)(b * job.C + ch) * job.H * job.W);
            }
        }
    }

    /// <summary>
    /// dst[oh * outW + ow] = src[oh * stride * pitch + ow * stride]. The vector path stores whole vectors, so a
    /// row may spill up to 7 floats past its end, over places written later; rows whose spill would pass
    /// <paramref name="available"/> floats from dst go element by element.
    /// </summary>
    private static void GatherGrid(float* src, float* dst, int outH, int outW, int stride, int pitch, int available)
    {
        int vectorRows = 0;
        if (Avx2.IsSupported && stride <= 2)
        {
            int last = available - ((outW + 7) & ~7); // the last row start whose whole vectors stay inside what is available
            vectorRows = last < 0 ? 0 : Math.Min(outH, last / outW + 1);
        }
        for (int oh = 0; oh < vectorRows; oh++, src += stride * pitch, dst += outW)
        {
            float* s = src;
            if (stride == 1)
                for (int ow = 0; ow < outW; ow += 8, s += 8) Avx.Store(dst + ow, Avx.LoadVector256(s));
            else
                for (int ow = 0; ow < outW; ow += 8, s += 16) Avx.Store(dst + ow, EvenLanes(Avx.LoadVector256(s), Avx.LoadVector256(s + 8)));
        }
        for (int oh = vectorRows; oh < outH; oh++, src += stride * pitch, dst += outW)
            for (int ow = 0; ow < outW; ow++) dst[ow] = src[ow * stride];
    }

    /// <summary>
    /// The adjoint of <see cref="GatherGrid"/>: dst[oh * stride * pitch + ow * stride] += src[oh * outW + ow]. The vector
    /// path reads the row's last vector of src through a mask (lanes past the row add 0, so the padded plane's
    /// floats beyond the row, up to 15, are rewritten unchanged: they are this thread's scratch).
    /// </summary>
    private static void ScatterAddGrid(float* src, float* dst, int outH, int outW, int stride, int pitch)
    {
        if (!Avx2.IsSupported || stride > 2)
        {
            for (int oh = 0; oh < outH; oh++, src += outW, dst += stride * pitch)
                for (int ow = 0; ow < outW; ow++) dst[ow * stride] += src[ow];
            return;
        }
        int full = outW & ~7;
        var tail = TailMask(outW - full);
        for (int oh = 0; oh < outH; oh++, src += outW, dst += stride * pitch)
        {
            float* d = dst;
            for (int ow = 0; ow < outW; ow += 8, d += 8 * stride)
            {
                var v = ow < full ? Avx.LoadVector256(src + ow) : Avx.MaskLoad(src + ow, tail);
                if (stride == 1)
                {
                    Avx.Store(d, Avx.Add(Avx.LoadVector256(d), v));
                    continue;
                }
                // Spread v over the even lanes of 16 floats: [v0 0 v1 0 v2 0 v3 0] and [v4 0 v5 0 v6 0 v7 0].
                var low = Avx.UnpackLow(v, Vector256<float>.Zero);   // v0 0 v1 0 | v4 0 v5 0
                var high = Avx.UnpackHigh(v, Vector256<float>.Zero); // v2 0 v3 0 | v6 0 v7 0
                Avx.Store(d, Avx.Add(Avx.LoadVector256(d), Avx.Permute2x128(low, high, 0x20)));
                Avx.Store(d + 8, Avx.Add(Avx.LoadVector256(d + 8), Avx.Permute2x128(low, high, 0x31)));
            }
        }
    }

    /// <summary>[a0 a2 a4 a6 b0 b2 b4 b6]: the even lanes of a and then of b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EvenLanes(Vector256<float> a, Vector256<float> b)
    {
        var paired = Avx.Shuffle(a, b, 0b10_00_10_00); // a0 a2 b0 b2 | a4 a6 b4 b6
        return Avx2.Permute4x64(paired.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>A mask whose first <paramref name="count"/> lanes are set (all eight when count is 0, which no masked load then uses).</summary>
    private static Vector256<float> TailMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count == 0 ? 8 : count)).AsSingle();

    /// <summary>
    /// The rows and columns any tap can touch: padded (y, x) is image (y - pad, x - pad), for
    /// y in [0, (outH - 1) stride + kh) and x in [0, (outW - 1) stride + kw).
    /// </summary>
    private readonly struct PaddedPlane(int h, int w, int kh, int kw, int stride, int pad, int outH, int outW)
    {
        public readonly int Height = (outH - 1) * stride + kh;
        public readonly int Width = (outW - 1) * stride + kw;
        public int Length => Height * Width;
        // Image rows and columns that fall inside the padded plane (trailing ones a stride skips do not).
        private readonly int _rows = Math.Max(0, Math.Min(h, (outH - 1) * stride + kh - pad));
        private readonly int _cols = Math.Max(0, Math.Min(w, (outW - 1) * stride + kw - pad));
        private readonly int _w = w, _h = h, _pad = pad;

        /// <summary>Padded plane = the image plane surrounded by zeros.</summary>
        public void Load(float* image, float* padded)
        {
            new Span<float>(padded, Length).Clear();
            if (_cols >= 8 && _cols <= 16 && Vector256.IsHardwareAccelerated)
            {
                // A DCGAN plane's rows (7-28 floats) as two vectors that may overlap: a call to memmove per row cost more.
                for (int y = 0; y < _rows; y++)
                {
                    float* src = image + y * _w, dst = padded + (y + _pad) * Width + _pad;
                    Vector256.Store(Vector256.Load(src), dst);
                    Vector256.Store(Vector256.Load(src + _cols - 8), dst + _cols - 8);
                }
                return;
            }
            for (int y = 0; y < _rows; y++)
                new ReadOnlySpan<float>(image + y * _w, _cols).CopyTo(new Span<float>(padded + (y + _pad) * Width + _pad, _cols));
        }

        /// <summary>Image plane = the padded plane's interior (the padding's sums are dropped; pixels no tap reaches are 0).</summary>
        public void Store(float* padded, float* image)
        {
            if (_rows < _h || _cols < _w) new Span<float>(image, _h * _w).Clear();
            for (int y = 0; y < _rows; y++)
                new ReadOnlySpan<float>(padded + (y + _pad) * Width + _pad, _cols).CopyTo(new Span<float>(image + y * _w, _cols));
        }
    }

    private static float[] Scratch(ref float[]? buffer, int length) =>
        buffer is { } b && b.Length >= length ? b : (buffer = new float[length]);

    /// <summary>Sets every element of channel c of [N, C, plane] to bias[c] (0 with an empty bias): a layer with no inputs.</summary>
    public static void FillChannelBias(Span<float> data, int n, int c, int plane, ReadOnlySpan<float> bias)
    {
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++) data.Slice((b * c + ch) * plane, plane).Fill(bias.IsEmpty ? 0f : bias[ch]);
    }
}
