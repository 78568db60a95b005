using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using T = GanSharp.Kernels.WinogradTransforms;
using V = System.Runtime.Intrinsics.Vector256<float>;

namespace GanSharp.Kernels;

/// <summary>
/// The DCGAN convolution (4 x 4 kernel, stride 2, padding 1) and its two adjoints by Winograd's F(4x4, 2x2): half the
/// multiplications of the im2col GEMM.
/// </summary>
/// <remarks>
/// <para>
/// Split by the parity of its rows and columns, a stride-2 4 x 4 convolution is four stride-1 2 x 2 convolutions (one per
/// phase: the taps w[2a + py, 2b + px] on the input pixels x[2i + py - 1, 2j + px - 1]), summed: one stride-1 2 x 2
/// convolution over 4 C channels. F(4x4, 2x2) computes a 4 x 4 output tile of it from a 5 x 5 input tile with 25 products per
/// channel pair instead of 64, so for each of the 25 points of the transformed tile one GEMM, [tiles, 4 C] x [4 C, O], does
/// all the multiplying (<see cref="WinogradTransforms"/> has the transforms). A 7 x 7 output takes 2 x 2 tiles: 25 points x 4 tiles x 4
/// phases = 400 products per input-output channel pair against 49 positions x 16 taps = 784 for im2col (0.51 of its GEMM work).
/// </para>
/// <para>
/// The transforms run on channel-last copies of each image, 8 channels a vector. The batch goes in passes of a few images
/// (<see cref="MaxDataFloatsPerPass"/>), each three steps split over the <see cref="ComputeThreads"/>: transform the images
/// (and, once, the filter), the 25 GEMMs in row blocks, transform back. The transposed convolution (the input gradient) and
/// the weight gradient are the exact adjoints of the same computation. A tile's 25 transformed points lie together (one
/// row of 25 x 4 C floats; each GEMM reads its point of every row with a row stride): stored as 25 separate blocks, the
/// transforms wrote 25 streams far apart and took 1.2x as long.
/// Rounding differs from the direct sums (the transforms add and subtract up to 8-fold multiples): about 1e-6 relative
/// to the output's scale in float32 against 3e-7 for im2col. Every sum has a fixed order, whatever the thread count.
/// </para>
/// </remarks>
internal static unsafe class WinogradConv
{
    private const int Points = T.Alpha * T.Alpha;

    /// <summary>GEMM rows (tiles) per part of the multiplying pass, at most.</summary>
    private const int RowBlock = 192;

    /// <summary>
    /// Transformed-data floats per pass over the batch, at most (whole images, at least one, passes of equal size): the
    /// batch's transformed images, products and their reads of the filter then stay closer to the cores. With 64 channels
    /// (6,400 floats a tile) that is passes of 16 images of 7 x 7 outputs: the dcgan28 step ran 1.10-1.12x faster than
    /// with the whole batch of 64 in one pass; passes of 8 or 12 images were 0.98-0.99x those of 16, of 24 1.00-1.02x.
    /// </summary>
    private const int MaxDataFloatsPerPass = 1 << 19;

    /// <summary>Test hook: route every convolution of this thread to the GEMM kernels, to compare against.</summary>
    [ThreadStatic] internal static bool Disabled;

    private struct Job
    {
        public float* X, Weight, Bias, Y, G, Dw; // whole batches: parts offset by First
        public float* Data, Grad, Filter; // transformed images [rows, 25, 4 C], gradients or products [rows, 25, O], the filter's
        public int N, First, C, O, H, W, OutH, OutW, TilesY, TilesX, Rows, RowsPerBlock, RowBlocks; // N images from First in this pass
        public long DataRow, GradRow;           // floats per tile: its 25 points of 4 C (data) or O (gradient) channels
        public long FilterStride, FilterFloats; // floats from one point's packed filter to the next, and in all
        public int FilterParts, PackedColumns;  // parts of the pass that transform the filter (the first pass's only); its columns
        public bool ProductRowsAreChannels;     // the weight gradient's products: rows are the 4 C channels, summed over tiles
        public float Beta;                      // 0 on the first pass, 1 after: the weight gradient's later passes add to dU
        public bool Rectify;
        public float Slope;
    }

    /// <summary>
    /// Whether a convolution of <paramref name="inChannels"/> planes of <paramref name="h"/> x <paramref name="w"/> into
    /// <paramref name="outChannels"/> (or its adjoints) goes here: 4 x 4 kernel, stride 2, padding 1, even sizes (outputs
    /// h / 2 x w / 2), channels in whole vectors and enough of them for the transforms to pay.
    /// </summary>
    public static bool Applies(int inChannels, int outChannels, int kh, int kw, int stride, int pad, int h, int w) =>
        kh == 4 && kw == 4 && stride == 2 && pad == 1 && h >= 2 && w >= 2 && h % 2 == 0 && w % 2 == 0
        && inChannels % 8 == 0 && outChannels % 8 == 0 && inChannels >= 16 && outChannels >= 16
        && Avx2.IsSupported && !Disabled;

    /// <summary>y [N, O, H/2, W/2] = conv2d(x [N, C, H, W], weight [O, C, 4, 4], stride 2, padding 1) + bias (may be null), rectified when asked.</summary>
    public static void Forward(float* x, int n, int c, int h, int w, float* weight, int o, float* bias, float* y,
        bool rectify, float slope)
    {
        if (n == 0) return;
        var job = NewJob(n, c, o, h, w, PackedB.Floats(4 * c, o), o);
        job.X = x; job.Y = y; job.Weight = weight; job.Bias = bias; job.Rectify = rectify; job.Slope = slope;
        job.FilterParts = c / 8;
        RunPasses(ref job, n, &ForwardTransformPart, &ForwardProductPart, &ForwardOutputPart, null);
    }

    /// <summary>
    /// dx [N, C, 2 gh, 2 gw] = conv_transpose2d(g [N, O, gh, gw], weight [O, C, 4, 4], stride 2, padding 1) + bias [C]
    /// (may be null): the adjoint of <see cref="Forward"/> in x (h = 2 gh, w = 2 gw are the output's sizes).
    /// </summary>
    public static void Transposed(float* g, int n, int o, int h, int w, float* weight, int c, float* bias, float* dx)
    {
        if (n == 0) return;
        var job = NewJob(n, c, o, h, w, PackedB.Floats(o, 4 * c), 4 * c);
        job.G = g; job.X = dx; job.Weight = weight; job.Bias = bias;
        job.FilterParts = o / 8;
        RunPasses(ref job, n, &TransposedTransformPart, &TransposedProductPart, &TransposedOutputPart, null);
    }

    /// <summary>dw [O, C, 4, 4] = d conv2d(x [N, C, H, W], W) / d W contracted with g [N, O, H/2, W/2]: the adjoint of <see cref="Forward"/> in W.</summary>
    public static void WeightGrad(float* x, int n, int c, int h, int w, float* g, int o, float* dw)
    {
        if (n == 0)
        {
            new Span<float>(dw, o * c * 16).Clear();
            return;
        }
        var job = NewJob(n, c, o, h, w, 4L * c * o, 0); // dU [4 C, 25, O], row-major, not packed
        job.X = x; job.G = g; job.Dw = dw;
        job.ProductRowsAreChannels = true;
        RunPasses(ref job, n, &WeightGradTransformPart, &WeightGradProductPart, null, &WeightGradFilterPart);
    }

    /// <summary>
    /// The passes over the batch, each of at most <see cref="MaxDataFloatsPerPass"/> transformed floats: transform its images (and, on the
    /// first pass, the filter: job.FilterParts parts after the images'), the 25 products, transform back (if
    /// <paramref name="output"/>); after the last pass, <paramref name="last"/> (if any) once per 8 input channels.
    /// </summary>
    private static void RunPasses(ref Job job, int n, delegate*<int, int, void*, void> transform, delegate*<int, int, void*, void> product,
        delegate*<int, int, void*, void> output, delegate*<int, int, void*, void> last)
    {
        var buffers = ScratchBuffers.Rent();
        try
        {
            job.Data = buffers.Get(0, (nuint)(job.Rows * job.DataRow));
            job.Grad = buffers.Get(1, (nuint)(job.Rows * job.GradRow));
            job.Filter = buffers.Get(2, (nuint)job.FilterFloats);
            if (job.PackedColumns % GemmBlocking.NR != 0) new Span<float>(job.Filter, (int)job.FilterFloats).Clear(); // columns past the last read as zeros
            int perPass = job.N;
            fixed (Job* context = &job)
            {
                for (int first = 0; first < n; first += perPass)
                {
                    SetImages(ref job, first, Math.Min(perPass, n - first));
                    ComputeThreads.Run(job.N + job.FilterParts, transform, context);
                    ComputeThreads.Run(Points * job.RowBlocks, product, context);
                    if (output != null) ComputeThreads.Run(job.N, output, context);
                    job.FilterParts = 0;
                }
                if (last != null) ComputeThreads.Run(job.C / 8, last, context);
            }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>
    /// Floats from one point's transformed filter to the next: a multiple of 4 KB would put the 25 vectors the filter
    /// transform writes at once in one cache set.
    /// </summary>
    private static long PointStride(long floats) => GemmBlocking.RoundUp((int)floats, 16) + 16;

    /// <summary>
    /// The job's sizes, for a first pass of as many images as any pass has (the buffers' sizes); the transformed filter takes
    /// <paramref name="pointFloats"/> per point, packed into <paramref name="packedColumns"/> columns (0: not packed).
    /// </summary>
    private static Job NewJob(int n, int c, int o, int h, int w, long pointFloats, int packedColumns)
    {
        int outH = h / 2, outW = w / 2, tilesY = (outH + 3) / 4, tilesX = (outW + 3) / 4;
        var job = new Job
        {
            C = c, O = o, H = h, W = w, OutH = outH, OutW = outW, TilesY = tilesY, TilesX = tilesX,
            DataRow = Points * 4L * c, GradRow = Points * (long)o, FilterStride = PointStride(pointFloats),
            FilterFloats = Points * PointStride(pointFloats), PackedColumns = packedColumns,
        };
        int most = Math.Max(1, (int)(MaxDataFloatsPerPass / (tilesY * tilesX * job.DataRow))), passes = (n + most - 1) / most;
        SetImages(ref job, 0, (n + passes - 1) / passes);
        return job;
    }

    /// <summary>Sets the images [first, first + n) of the next pass, its GEMM rows and their blocks.</summary>
    private static void SetImages(ref Job job, int first, int n)
    {
        job.First = first;
        job.N = n;
        job.Rows = n * job.TilesY * job.TilesX;
        job.Beta = first == 0 ? 0f : 1f;
        if (job.ProductRowsAreChannels)
        {
            job.RowBlocks = Math.Max(1, Math.Min(4 * job.C / 64, 2));
            job.RowsPerBlock = 4 * job.C / job.RowBlocks;
            return;
        }
        job.RowBlocks = (job.Rows + RowBlock - 1) / RowBlock;
        job.RowsPerBlock = GemmBlocking.RoundUp((job.Rows + job.RowBlocks - 1) / job.RowBlocks, 2 * GemmBlocking.MR);
    }

    // ---- Forward ----

    private static void ForwardTransformPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        if (part < job.N) TransformImage(in job, part);
        else for (int c = (part - job.N) * 8, end = c + 8; c < end; c++) TransformFilterColumn(in job, c); // first pass only
    }

    private static void ForwardProductPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int point = part / job.RowBlocks, r0 = (part % job.RowBlocks) * job.RowsPerBlock, rows = Math.Min(job.RowsPerBlock, job.Rows - r0);
        if (rows <= 0) return;
        int k = 4 * job.C;
        Gemm.SgemmPrepacked(false, rows, job.O, k, job.Data + r0 * job.DataRow + point * k, (int)job.DataRow,
            job.Filter + point * job.FilterStride, job.Grad + r0 * job.GradRow + point * job.O, (int)job.GradRow);
    }

    private static void ForwardOutputPart(int b, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int o = job.O, plane = job.OutH * job.OutW;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* channelLast = buffers.Get(0, (nuint)((long)plane * o));
            float** target = stackalloc float*[T.Outputs * T.Outputs];
            for (int ty = 0; ty < job.TilesY; ty++)
                for (int tx = 0; tx < job.TilesX; tx++)
                {
                    OutputPositions(in job, ty, tx, channelLast, o, null, target);
                    float* products = job.Grad + ((long)(b * job.TilesY + ty) * job.TilesX + tx) * job.GradRow;
                    for (int o0 = 0; o0 < o; o0 += 8) T.OutputTile(products + o0, o, target, o0);
                }
            ChannelTranspose.Store(channelLast, plane, o, o, job.Y + (long)(job.First + b) * o * plane, plane, job.Bias, job.Rectify, job.Slope);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>Image b's transformed tiles: for each phase and tile, 25 points of 4 C channels into job.Data.</summary>
    private static void TransformImage(in Job job, int b)
    {
        int c = job.C, h = job.H, w = job.W;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* channelLast = buffers.Get(0, (nuint)((long)h * w * c));
            float* zeros = buffers.Get(1, (nuint)c);
            new Span<float>(zeros, c).Clear();
            ChannelTranspose.Store(job.X + (long)(job.First + b) * c * h * w, c, h * w, h * w, channelLast, c, null);
            float** source = stackalloc float*[Points];
            for (int phase = 0; phase < 4; phase++)
                for (int ty = 0; ty < job.TilesY; ty++)
                    for (int tx = 0; tx < job.TilesX; tx++)
                    {
                        InputPositions(in job, phase, ty, tx, channelLast, zeros, source);
                        float* dst = job.Data + ((long)(b * job.TilesY + ty) * job.TilesX + tx) * job.DataRow + phase * c;
                        for (int c0 = 0; c0 < c; c0 += 8) T.DataTile(source, c0, dst + c0, 4 * c);
                    }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>
    /// The forward product's filter, packed B [4 C, O]: for input channel c and each phase, the 25 points of G w G^T, 8 output
    /// channels a vector (rows phase C + c).
    /// </summary>
    private static void TransformFilterColumn(in Job job, int c)
    {
        V* taps = stackalloc V[16];
        int k = 4 * job.C, n = job.O;
        for (int o0 = 0; o0 < job.O; o0 += 8)
        {
            LoadTaps(job.Weight + ((long)o0 * job.C + c) * 16, (long)job.C * 16, taps); // lane r: output channel o0 + r
            for (int phase = 0; phase < 4; phase++)
                TransformFilterPhase(taps, phase, PackedB.Element(job.Filter, k, n, phase * job.C + c, o0), job.FilterStride);
        }
    }

    /// <summary>The transposed product's filter, [O, 4 C]: output channel o's row, 8 input channels a vector.</summary>
    private static void TransformFilterRow(in Job job, int o)
    {
        V* taps = stackalloc V[16];
        int k = job.O, n = 4 * job.C;
        for (int c0 = 0; c0 < job.C; c0 += 8)
        {
            LoadTaps(job.Weight + ((long)o * job.C + c0) * 16, 16, taps); // lane r: input channel c0 + r
            for (int phase = 0; phase < 4; phase++)
                TransformFilterPhase(taps, phase, PackedB.Element(job.Filter, k, n, o, phase * job.C + c0), job.FilterStride);
        }
    }

    /// <summary>taps[t] lane r = rows[r * rowStride + t] for t &lt; 16, r &lt; 8.</summary>
    private static void LoadTaps(float* rows, long rowStride, V* taps)
    {
        for (int half = 0; half < 16; half += 8)
        {
            float* s = rows + half;
            GemmPacking.Transpose8x8(Vector256.Load(s), Vector256.Load(s + rowStride), Vector256.Load(s + 2 * rowStride), Vector256.Load(s + 3 * rowStride),
                Vector256.Load(s + 4 * rowStride), Vector256.Load(s + 5 * rowStride), Vector256.Load(s + 6 * rowStride), Vector256.Load(s + 7 * rowStride),
                out taps[half], out taps[half + 1], out taps[half + 2], out taps[half + 3],
                out taps[half + 4], out taps[half + 5], out taps[half + 6], out taps[half + 7]);
        }
    }

    /// <summary>G g G^T for a phase's 2 x 2 taps g[a, b] = taps[Tap(phase, a, b)], point p at destination + p * stride.</summary>
    private static void TransformFilterPhase(V* taps, int phase, float* destination, long stride) =>
        T.FilterTile(taps[Tap(phase, 0, 0)], taps[Tap(phase, 0, 1)], taps[Tap(phase, 1, 0)], taps[Tap(phase, 1, 1)], destination, stride);

    /// <summary>The 4 x 4 kernel tap (row-major) of a phase's 2 x 2 tap (a, b): w[2 a + py, 2 b + px].</summary>
    private static int Tap(int phase, int a, int b) => (2 * a + (phase >> 1)) * 4 + 2 * b + (phase & 1);

    /// <summary>
    /// Where a tile's 25 input points lie in a channel-last image [h w, C] for a phase (x[2 i + py - 1, 2 j + px - 1]):
    /// <paramref name="outside"/> for points in the padding.
    /// </summary>
    private static void InputPositions(in Job job, int phase, int ty, int tx, float* channelLast, float* outside, float** points)
    {
        int py = phase >> 1, px = phase & 1;
        for (int i = 0; i < T.Alpha; i++)
            for (int j = 0; j < T.Alpha; j++)
            {
                int yy = 2 * (4 * ty + i) + py - 1, xx = 2 * (4 * tx + j) + px - 1;
                points[i * T.Alpha + j] = (uint)yy < (uint)job.H && (uint)xx < (uint)job.W ? channelLast + ((long)yy * job.W + xx) * job.C : outside;
            }
    }

    /// <summary>Where a tile's 16 outputs lie in a channel-last output [outH outW, channels]: <paramref name="outside"/> past the edge.</summary>
    private static void OutputPositions(in Job job, int ty, int tx, float* channelLast, int channels, float* outside, float** points)
    {
        for (int i = 0; i < T.Outputs; i++)
            for (int j = 0; j < T.Outputs; j++)
            {
                int yy = 4 * ty + i, xx = 4 * tx + j;
                points[i * T.Outputs + j] = yy < job.OutH && xx < job.OutW ? channelLast + ((long)yy * job.OutW + xx) * channels : outside;
            }
    }

    // ---- Transposed (input gradient) ----

    private static void TransposedTransformPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        if (part < job.N) TransformGradient(in job, part);
        else for (int o = (part - job.N) * 8, end = o + 8; o < end; o++) TransformFilterRow(in job, o);
    }

    private static void TransposedProductPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int point = part / job.RowBlocks, r0 = (part % job.RowBlocks) * job.RowsPerBlock, rows = Math.Min(job.RowsPerBlock, job.Rows - r0);
        if (rows <= 0) return;
        int n = 4 * job.C;
        Gemm.SgemmPrepacked(false, rows, n, job.O, job.Grad + r0 * job.GradRow + point * job.O, (int)job.GradRow,
            job.Filter + point * job.FilterStride, job.Data + r0 * job.DataRow + point * n, (int)job.DataRow);
    }

    private static void TransposedOutputPart(int b, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int c = job.C, h = job.H, w = job.W;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* channelLast = buffers.Get(0, (nuint)((long)h * w * c));
            new Span<float>(channelLast, h * w * c).Clear();
            float** target = stackalloc float*[Points];
            for (int phase = 0; phase < 4; phase++)
                for (int ty = 0; ty < job.TilesY; ty++)
                    for (int tx = 0; tx < job.TilesX; tx++)
                    {
                        InputPositions(in job, phase, ty, tx, channelLast, null, target); // neighbouring tiles share a row or column: added
                        float* src = job.Data + ((long)(b * job.TilesY + ty) * job.TilesX + tx) * job.DataRow + phase * c;
                        for (int c0 = 0; c0 < c; c0 += 8) T.DataAdjointTile(src + c0, 4 * c, target, c0);
                    }
            ChannelTranspose.Store(channelLast, h * w, c, c, job.X + (long)(job.First + b) * c * h * w, h * w, job.Bias);
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    /// <summary>Image b's output-gradient tiles (4 x 4, zero past the edge) as A g A^T: 25 points of O channels into job.Grad.</summary>
    private static void TransformGradient(in Job job, int b)
    {
        int o = job.O, plane = job.OutH * job.OutW;
        var buffers = ScratchBuffers.Rent();
        try
        {
            float* channelLast = buffers.Get(0, (nuint)((long)plane * o));
            float* zeros = buffers.Get(1, (nuint)o);
            new Span<float>(zeros, o).Clear();
            ChannelTranspose.Store(job.G + (long)(job.First + b) * o * plane, o, plane, plane, channelLast, o, null);
            float** source = stackalloc float*[T.Outputs * T.Outputs];
            for (int ty = 0; ty < job.TilesY; ty++)
                for (int tx = 0; tx < job.TilesX; tx++)
                {
                    OutputPositions(in job, ty, tx, channelLast, o, zeros, source);
                    float* dst = job.Grad + ((long)(b * job.TilesY + ty) * job.TilesX + tx) * job.GradRow;
                    for (int o0 = 0; o0 < o; o0 += 8) T.OutputAdjointTile(source, o0, dst + o0, o);
                }
        }
        finally
        {
            ScratchBuffers.Return(buffers);
        }
    }

    // ---- Weight gradient ----

    private static void WeightGradTransformPart(int b, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        TransformImage(in job, b);
        TransformGradient(in job, b);
    }

    private static void WeightGradProductPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        int point = part / job.RowBlocks, r0 = (part % job.RowBlocks) * job.RowsPerBlock, k = 4 * job.C;
        // dU = V^T G: rows r0.. of the transformed channels, summed over every tile of the batch.
        Gemm.Sgemm(true, false, job.RowsPerBlock, job.O, job.Rows, 1f, job.Data + point * k + r0, (int)job.DataRow,
            job.Grad + point * job.O, (int)job.GradRow, job.Beta, job.Filter + (long)r0 * Points * job.O + point * job.O, Points * job.O);
    }

    /// <summary>dw for input channels [8 part, 8 part + 8): G^T dU G per phase, 8 output channels a vector, transposed into place.</summary>
    private static void WeightGradFilterPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        V* taps = stackalloc V[16];
        for (int c = 8 * part; c < 8 * part + 8; c++)
            for (int o0 = 0; o0 < job.O; o0 += 8)
            {
                for (int phase = 0; phase < 4; phase++)
                    T.FilterAdjointTile(job.Filter + (long)(phase * job.C + c) * Points * job.O + o0, job.O,
                        out taps[Tap(phase, 0, 0)], out taps[Tap(phase, 0, 1)], out taps[Tap(phase, 1, 0)], out taps[Tap(phase, 1, 1)]);
                float* dst = job.Dw + ((long)o0 * job.C + c) * 16;
                long rowStride = (long)job.C * 16;
                for (int half = 0; half < 16; half += 8)
                {
                    GemmPacking.Transpose8x8(taps[half], taps[half + 1], taps[half + 2], taps[half + 3],
                        taps[half + 4], taps[half + 5], taps[half + 6], taps[half + 7],
                        out V r0, out V r1, out V r2, out V r3, out V r4, out V r5, out V r6, out V r7);
                    float* d = dst + half;
                    r0.Store(d); r1.Store(d + rowStride); r2.Store(d + 2 * rowStride); r3.Store(d + 3 * rowStride);
                    r4.Store(d + 4 * rowStride); r5.Store(d + 5 * rowStride); r6.Store(d + 6 * rowStride); r7.Store(d + 7 * rowStride);
                }
            }
    }
}
