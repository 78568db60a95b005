using GanSharp.Kernels;
using static GanSharp.Tests.Kernels.ChunkedConvCheck;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// The Winograd F(4x4, 2x2) convolution and its two adjoints against direct double-precision sums, bit-identical for one
/// and two threads: tiles cut by the output's edge, a 1 x 1 output, half a GEMM strip of output channels, two K blocks,
/// two row blocks, two passes over the batch, the rectifier. The transforms' rounding is relative to the output's scale
/// (an element that cancels to near zero keeps an error of about 1e-6 of the largest), so the checks allow 1e-5 of the
/// largest expected value besides 1e-4 of each element.
/// </summary>
[Collection("ComputeThreads")]
public unsafe class WinogradConvTests
{
    private const double OfScale = 1e-5;

    // (batch, in channels, height, width, out channels); outputs are height / 2 x width / 2
    public static TheoryData<int, int, int, int, int> Cases => new()
    {
        { 3, 16, 14, 14, 32 },  // the DCGAN layer's shape, smaller: 7 x 7 outputs in 2 x 2 tiles, the last row and column cut
        { 2, 24, 16, 8, 16 },   // 8 x 4 outputs: whole tiles
        { 1, 16, 6, 10, 24 },   // 3 x 5 outputs; 24 output channels: half a GEMM strip
        { 2, 16, 2, 2, 16 },    // a 1 x 1 output
        { 2, 128, 4, 6, 16 },   // 512 transformed channels: two K blocks
        { 50, 16, 14, 14, 16 }, // 200 tiles: two row blocks in the products
        { 20, 16, 32, 32, 16 }, // 16 x 16 outputs: 4 x 4 tiles per image
        { 100, 16, 14, 14, 16 }, // two passes of 50 images over the batch (the weight gradient adds the second's)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_a_direct_convolution(int n, int c, int h, int w, int o)
    {
        var rng = new Random(n * 7919 + c * 31 + o);
        float[] x = Values(rng, n * c * h * w), weight = Values(rng, o * c * 16), bias = Values(rng, o);
        Assert.True(WinogradConv.Applies(c, o, 4, 4, 2, 1, h, w));
        Check(n * o * (h / 2) * (w / 2), bias,
            (b, y) => Forward(x, n, c, h, w, weight, o, b, y, rectify: false),
            b => ConvKernelTests.Direct(x, weight, b, n, c, h, w, o, 4, 2, 1, h / 2, w / 2), OfScale);
    }

    [Fact]
    public void Forward_rectifies_on_the_way_out()
    {
        var rng = new Random(5);
        int n = 2, c = 16, h = 6, w = 6, o = 16;
        float[] x = Values(rng, n * c * h * w), weight = Values(rng, o * c * 16), bias = Values(rng, o);
        Check(n * o * 9, bias,
            (b, y) => Forward(x, n, c, h, w, weight, o, b, y, rectify: true),
            b => ConvKernelTests.Direct(x, weight, b, n, c, h, w, o, 4, 2, 1, 3, 3).Select(v => v > 0 ? v : 0.2 * v).ToArray(), OfScale);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transposed_matches_a_direct_scatter(int n, int c, int h, int w, int o)
    {
        // The adjoint in x: g [n, o, h/2, w/2] with the same weight [o, c, 4, 4] (a transposed conv's [in, out, kh, kw]) to [n, c, h, w].
        var rng = new Random(n * 7919 + c * 31 + o + 1);
        float[] g = Values(rng, n * o * (h / 2) * (w / 2)), weight = Values(rng, o * c * 16), bias = Values(rng, c);
        Check(n * c * h * w, bias,
            (b, dx) =>
            {
                fixed (float* pg = g, pw = weight, pb = b, pdx = dx)
                    WinogradConv.Transposed(pg, n, o, h, w, pw, c, b == null ? null : pb, pdx);
            },
            b => ConvTransposeKernelTests.Direct(g, weight, b, n, o, h / 2, w / 2, c, 4, 2, 1, h, w), OfScale);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weight_gradient_matches_a_direct_sum(int n, int c, int h, int w, int o)
    {
        var rng = new Random(n * 7919 + c * 31 + o + 2);
        int outH = h / 2, outW = w / 2;
        float[] x = Values(rng, n * c * h * w), g = Values(rng, n * o * outH * outW);
        Check(o * c * 16, new float[0],
            (_, dw) =>
            {
                fixed (float* px = x, pg = g, pdw = dw) WinogradConv.WeightGrad(px, n, c, h, w, pg, o, pdw);
            },
            _ =>
            {
                var expected = new double[o * c * 16];
                for (int oc = 0; oc < o; oc++)
                    for (int ic = 0; ic < c; ic++)
                        for (int t = 0; t < 16; t++)
                        {
                            double sum = 0;
                            for (int b = 0; b < n; b++)
                                for (int oy = 0; oy < outH; oy++)
                                    for (int ox = 0; ox < outW; ox++)
                                    {
                                        int iy = 2 * oy - 1 + t / 4, ix = 2 * ox - 1 + t % 4;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                            sum += (double)g[((b * o + oc) * outH + oy) * outW + ox] * x[((b * c + ic) * h + iy) * w + ix];
                                    }
                            expected[(oc * c + ic) * 16 + t] = sum;
                        }
                return expected;
            }, OfScale);
    }

    [Theory]
    [InlineData(8, 16, 4, 4, 2, 1, 14)]   // 8 input channels: not enough for the transforms
    [InlineData(16, 12, 4, 4, 2, 1, 14)]  // output channels not in whole vectors
    [InlineData(16, 16, 3, 3, 2, 1, 14)]  // 3 x 3 kernel
    [InlineData(16, 16, 4, 4, 1, 1, 14)]  // stride 1
    [InlineData(16, 16, 4, 4, 2, 0, 14)]  // no padding
    [InlineData(16, 16, 4, 4, 2, 1, 13)]  // odd size
    public void Other_convolutions_are_left_to_the_GEMM_kernels(int c, int o, int kh, int kw, int s, int p, int size) =>
        Assert.False(WinogradConv.Applies(c, o, kh, kw, s, p, size, size));

    private static void Forward(float[] x, int n, int c, int h, int w, float[] weight, int o, float[]? bias, float[] y, bool rectify)
    {
        fixed (float* px = x, pw = weight, pb = bias, py = y)
            WinogradConv.Forward(px, n, c, h, w, pw, o, bias == null ? null : pb, py, rectify, 0.2f);
    }
}
