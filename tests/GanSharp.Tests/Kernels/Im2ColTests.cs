using GanSharp.Kernels;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// Unfold and Fold against element-by-element references, with guard values around the output: the
/// vector paths store whole vectors, and no store may land outside the buffer (tiny grids included,
/// where one vector spans several images' grids).
/// </summary>
public class Im2ColTests
{
    private const int Guard = 64;
    private const float GuardValue = 12345f;

    // (batch, channels, height, width, kernel h, kernel w, stride, padding)
    public static TheoryData<int, int, int, int, int, int, int, int> Cases => new()
    {
        { 5, 1, 5, 6, 3, 3, 2, 0 },   // 2x2 grids, split by batch across threads
        { 3, 3, 4, 4, 3, 3, 1, 0 },   // 2x2 grids, split by channel
        { 4, 2, 7, 7, 3, 3, 2, 1 },   // 4x4
        { 2, 3, 14, 14, 4, 4, 2, 1 }, // 7x7, the DCGAN layer
        { 2, 1, 28, 28, 4, 4, 2, 1 }, // 14x14
        { 1, 2, 20, 21, 3, 3, 1, 1 }, // 20x21, stride 1
        { 2, 2, 9, 9, 3, 3, 3, 1 },   // stride 3: element by element
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unfold_writes_exactly_the_columns(int n, int c, int h, int w, int kh, int kw, int s, int p)
    {
        int outH = (h + 2 * p - kh) / s + 1, outW = (w + 2 * p - kw) / s + 1, length = c * kh * kw * n * outH * outW;
        var image = Values(n * c * h * w, 1);
        var buffer = new float[length + 2 * Guard];
        Array.Fill(buffer, GuardValue);
        Unfold(image, n, c, h, w, kh, kw, s, p, outH, outW, buffer.AsSpan(Guard, length));

        var expected = ReferenceUnfold(image, n, c, h, w, kh, kw, s, p, outH, outW);
        Assert.Equal(expected, buffer.AsSpan(Guard, length).ToArray());
        Assert.All(buffer[..Guard], v => Assert.Equal(GuardValue, v));
        Assert.All(buffer[(Guard + length)..], v => Assert.Equal(GuardValue, v));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fold_sums_every_column_entry_onto_its_pixel(int n, int c, int h, int w, int kh, int kw, int s, int p)
    {
        int outH = (h + 2 * p - kh) / s + 1, outW = (w + 2 * p - kw) / s + 1, length = n * c * h * w;
        var columns = Values(c * kh * kw * n * outH * outW, 2);
        var buffer = new float[length + 2 * Guard];
        Array.Fill(buffer, GuardValue);
        Im2Col.Fold(columns, n, c, h, w, kh, kw, s, p, outH, outW, buffer.AsSpan(Guard, length));

        var expected = ReferenceFold(columns, n, c, h, w, kh, kw, s, p, outH, outW);
        var actual = buffer.AsSpan(Guard, length).ToArray();
        for (int i = 0; i < length; i++) Assert.Equal(expected[i], actual[i], 4);
        Assert.All(buffer[..Guard], v => Assert.Equal(GuardValue, v));
        Assert.All(buffer[(Guard + length)..], v => Assert.Equal(GuardValue, v));
    }

    private static unsafe void Unfold(float[] image, int n, int c, int h, int w, int kh, int kw, int s, int p, int outH, int outW, Span<float> columns)
    {
        fixed (float* pi = image, pc = columns) Im2Col.Unfold(pi, n, c, h, w, kh, kw, s, p, outH, outW, pc);
    }

    private static float[] Values(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    private static float[] ReferenceUnfold(float[] x, int n, int c, int h, int w, int kh, int kw, int s, int p, int outH, int outW)
    {
        var columns = new float[c * kh * kw * n * outH * outW];
        ForEachEntry(n, c, h, w, kh, kw, s, p, outH, outW, (column, pixel) => columns[column] = pixel < 0 ? 0f : x[pixel]);
        return columns;
    }

    private static float[] ReferenceFold(float[] columns, int n, int c, int h, int w, int kh, int kw, int s, int p, int outH, int outW)
    {
        var image = new float[n * c * h * w];
        ForEachEntry(n, c, h, w, kh, kw, s, p, outH, outW, (column, pixel) => { if (pixel >= 0) image[pixel] += columns[column]; });
        return image;
    }

    /// <summary>Every column entry with the image element it sees (-1 in the padding), straight from the definition.</summary>
    private static void ForEachEntry(int n, int c, int h, int w, int kh, int kw, int s, int p, int outH, int outW, Action<long, int> visit)
    {
        int row = 0;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++, row++)
                    for (int b = 0; b < n; b++)
                        for (int oh = 0; oh < outH; oh++)
                            for (int ow = 0; ow < outW; ow++)
                            {
                                int y = oh * s + i - p, x = ow * s + j - p;
                                visit(((long)row * n + b) * outH * outW + oh * outW + ow,
                                    y >= 0 && y < h && x >= 0 && x < w ? ((b * c + ch) * h + y) * w + x : -1);
                            }
    }

    [Theory]
    [InlineData(3, 8, 14, 14, 2, 1)]   // a DCGAN layer's 4x4 / stride 2 / padding 1, one K block
    [InlineData(9, 8, 14, 14, 2, 1)]   // 441 positions: two K blocks, the second shorter
    [InlineData(2, 9, 7, 9, 1, 2)]     // stride 1, padding 2, an odd channel count
    public unsafe void Patches_are_the_packed_transposed_columns(int n, int c, int h, int w, int s, int p)
    {
        // PackPatches4x4 must write exactly what Unfold followed by GEMM's packing of columns^T would.
        int outH = (h + 2 * p - 4) / s + 1, outW = (w + 2 * p - 4) / s + 1, positions = n * outH * outW, taps = c * 16;
        var rng = new Random(n * 31 + c);
        float[] image = Enumerable.Range(0, n * c * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        var columns = new float[taps * positions];
        Unfold(image, n, c, h, w, 4, 4, s, p, outH, outW, columns);
        var expected = new float[PackedB.Floats(positions, taps)];
        var actual = new float[expected.Length];
        fixed (float* pc = columns, pe = expected, pi = image, pa = actual)
        {
            PackedB.PackInto(true, pc, positions, positions, taps, pe); // op(B) = columns^T: columns is [taps, positions]
            Im2Col.PackPatches4x4(pi, n, c, 0, c / 2, h, w, s, p, outH, outW, pa); // in two calls, as the compute threads do
            Im2Col.PackPatches4x4(pi, n, c, c / 2, c, h, w, s, p, outH, outW, pa);
        }
        int packedLength = positions * taps; // the slack past it is not written
        Assert.Equal(expected.AsSpan(0, packedLength).ToArray(), actual.AsSpan(0, packedLength).ToArray());
    }

    [Theory]
    [InlineData(3, 64, 14, 14, 2, 1)]  // a DCGAN layer's chunk: 147 positions (a partial panel), 1024 taps in K blocks of 342 (taps of one row split by a block's end)
    [InlineData(2, 3, 9, 7, 1, 2)]     // stride 1, padding 2
    [InlineData(1, 1, 4, 4, 2, 0)]     // one position: a single partial panel
    public unsafe void Patch_panels_are_the_packed_transposed_columns(int n, int c, int h, int w, int s, int p)
    {
        // PackPatchPanels4x4 must write exactly what Unfold followed by GEMM's packing of A = columns^T would.
        int outH = (h + 2 * p - 4) / s + 1, outW = (w + 2 * p - 4) / s + 1, positions = n * outH * outW, taps = c * 16;
        var rng = new Random(n * 37 + c);
        float[] image = Enumerable.Range(0, n * c * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        var columns = new float[taps * positions];
        var expected = new float[PackedA.Floats(positions, taps)];
        var actual = new float[expected.Length];
        var padded = new float[Im2Col.PaddedFloats(n, c, h, w, s, p, outH, outW)];
        fixed (float* pc = columns, pe = expected, pi = image, pa = actual, pp = padded)
        {
            Im2Col.Unfold(pi, n, c, h, w, 4, 4, s, p, outH, outW, pc);
            int kcStd = GemmBlocking.KcFor(taps);
            for (int k0 = 0; k0 < taps; k0 += kcStd)
            {
                int kc = Math.Min(kcStd, taps - k0);
                GemmPacking.PackA(true, pc + (long)k0 * positions, positions, positions, kc, PackedA.Panel(pe, positions, k0, kc, 0));
            }
            Im2Col.PackPatchPanels4x4(pi, n, c, h, w, s, p, outH, outW, pp, pa);
        }
        int packedLength = GemmBlocking.RoundUp(positions, GemmBlocking.MR) * taps; // the slack past it is scratch
        Assert.Equal(expected.AsSpan(0, packedLength).ToArray(), actual.AsSpan(0, packedLength).ToArray());
    }
}
