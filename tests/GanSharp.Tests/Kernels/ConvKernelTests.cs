using GanSharp.Kernels;
using static GanSharp.Tests.Kernels.ChunkedConvCheck;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// The chunked convolution against a direct double-precision sum: chunks of several images and a
/// partial last chunk, an image larger than one chunk, output channels that leave a partial GEMM
/// strip, K blocks (over 384 taps), no bias; and bit-identical for one and two threads.
/// </summary>
[Collection("ComputeThreads")]
public class ConvKernelTests
{
    // (batch, in channels, height, width, out channels, kernel, stride, padding)
    [Theory]
    [InlineData(16, 8, 14, 14, 64, 4, 2, 1)]   // a DCGAN layer's shape, smaller: 2 images per chunk
    [InlineData(12, 3, 9, 9, 32, 3, 2, 1)]     // 25 positions: 5 images per chunk, the last chunk partial
    [InlineData(2, 5, 13, 12, 40, 4, 1, 2)]    // 182 positions per image: two GEMM M blocks; 40 channels: a partial strip
    [InlineData(3, 400, 3, 3, 32, 1, 1, 0)]    // 400 taps: two K blocks
    [InlineData(2, 2, 7, 9, 33, 3, 3, 0)]      // stride 3; 33 channels: a scalar channel after the 8 x 8 transposes
    [InlineData(5, 64, 6, 6, 32, 4, 2, 1)]     // 1024 taps in K blocks of 342: patch panels split a kernel row at a block's end
    public void Matches_a_direct_convolution_and_does_not_depend_on_the_thread_count(int n, int c, int h, int w, int o, int k, int s, int p)
    {
        var rng = new Random(n * 7919 + c * 31 + o);
        float[] x = Values(rng, n * c * h * w), weight = Values(rng, o * c * k * k), bias = Values(rng, o);
        int outH = (h + 2 * p - k) / s + 1, outW = (w + 2 * p - k) / s + 1;
        Check(n * o * outH * outW, bias,
            (b, y) => ConvKernel.Run(x, n, c, h, w, weight, o, k, k, s, p, outH, outW, b, y),
            b => Direct(x, weight, b, n, c, h, w, o, k, s, p, outH, outW));
    }

    [Fact]
    public void An_input_without_channels_gives_the_bias()
    {
        var y = new float[2 * 32 * 3 * 3];
        float[] bias = Enumerable.Range(0, 32).Select(i => (float)i).ToArray();
        ConvKernel.Run([], 2, 0, 3, 3, [], 32, 1, 1, 1, 0, 3, 3, bias, y);
        for (int i = 0; i < y.Length; i++) Assert.Equal(i / 9 % 32, y[i]);
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ConvKernel.Run(new float[10], 1, 1, 4, 4, new float[32 * 16], 32, 4, 4, 2, 1, 2, 2, default, new float[128]));
        Assert.Contains("too small", e.Message);
    }

    internal static double[] Direct(float[] x, float[] weight, float[]? bias, int n, int c, int h, int w, int o, int k, int s, int p, int outH, int outW)
    {
        var y = new double[n * o * outH * outW];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < outH; oy++)
                    for (int ox = 0; ox < outW; ox++)
                    {
                        double sum = bias?[oc] ?? 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    sum += (double)weight[((oc * c + ic) * k + ky) * k + kx] * x[((b * c + ic) * h + iy) * w + ix];
                                }
                        y[((b * o + oc) * outH + oy) * outW + ox] = sum;
                    }
        return y;
    }
}
