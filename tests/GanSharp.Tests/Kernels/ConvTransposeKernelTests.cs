using GanSharp.Kernels;
using static GanSharp.Tests.Kernels.ChunkedConvCheck;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// The chunked transposed convolution against a direct double-precision scatter: chunks of several
/// images and a partial last chunk, tap blocks that do not divide the taps, channel counts with a
/// scalar tail after the vectors, output padding beyond the padding, K blocks (over 384 input
/// channels), no bias; and bit-identical for one and two threads.
/// </summary>
[Collection("ComputeThreads")]
public class ConvTransposeKernelTests
{
    // (batch, in channels, height, width, out channels, kernel, stride, padding, output padding)
    [Theory]
    [InlineData(64, 16, 7, 7, 64, 4, 2, 1, 0)]   // the DCGAN layer's shape, smaller: 2 images per chunk, 4 tap blocks
    [InlineData(40, 3, 3, 3, 8, 3, 1, 0, 0)]     // 16 images per chunk: 3 chunks, the last partial
    [InlineData(3, 5, 4, 6, 9, 4, 2, 1, 1)]      // 9 channels: a vector and a scalar tail
    [InlineData(2, 4, 3, 5, 80, 3, 3, 0, 2)]     // 3 taps per block of 9; output padding 2 > padding 0
    [InlineData(2, 400, 2, 3, 8, 3, 2, 1, 1)]    // two K blocks in the packed weight
    [InlineData(1, 2, 13, 12, 12, 5, 1, 2, 0)]   // one image of 156 positions: two GEMM M blocks
    public void Matches_a_direct_scatter_and_does_not_depend_on_the_thread_count(int n, int c, int h, int w, int o, int k, int s, int p, int op)
    {
        var rng = new Random(n * 7919 + c * 31 + o);
        float[] x = Values(rng, n * c * h * w), weight = Values(rng, c * o * k * k), bias = Values(rng, o);
        int outH = (h - 1) * s - 2 * p + k + op, outW = (w - 1) * s - 2 * p + k + op;
        Check(n * o * outH * outW, bias,
            (b, y) => ConvTransposeKernel.Run(x, n, c, h, w, weight, o, k, k, s, p, outH, outW, b, y),
            b => Direct(x, weight, b, n, c, h, w, o, k, s, p, outH, outW));
    }

    [Fact]
    public void An_input_without_channels_gives_the_bias()
    {
        var y = new float[2 * 8 * 4 * 4];
        float[] bias = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();
        ConvTransposeKernel.Run([], 2, 0, 2, 2, [], 8, 2, 2, 2, 0, 4, 4, bias, y);
        for (int i = 0; i < y.Length; i++) Assert.Equal(i / 16 % 8, y[i]);
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ConvTransposeKernel.Run(new float[10], 1, 1, 4, 4, new float[16], 1, 4, 4, 2, 1, 8, 8, default, new float[64]));
        Assert.Contains("too small", e.Message);
    }

    internal static double[] Direct(float[] x, float[] weight, float[]? bias, int n, int c, int h, int w, int o, int k, int s, int p, int outH, int outW)
    {
        var y = new double[n * o * outH * outW];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
            {
                for (int i = 0; i < outH * outW; i++) y[(b * o + oc) * outH * outW + i] = bias?[oc] ?? 0;
                for (int ic = 0; ic < c; ic++)
                    for (int iy = 0; iy < h; iy++)
                        for (int ix = 0; ix < w; ix++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int yy = iy * s - p + ky, xx = ix * s - p + kx;
                                    if (yy < 0 || yy >= outH || xx < 0 || xx >= outW) continue;
                                    y[((b * o + oc) * outH + yy) * outW + xx] +=
                                        (double)weight[((ic * o + oc) * k + ky) * k + kx] * x[((b * c + ic) * h + iy) * w + ix];
                                }
            }
        return y;
    }
}
