using GanSharp.Kernels;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// The batch-norm passes against double-precision references, on shapes small enough for one
/// thread and large enough to be split by channel (a DCGAN layer: 64 x 128 planes of 7x7, whose
/// 49 values leave a tail after the vectors), and bit-identical for one and two threads.
/// </summary>
[Collection("ComputeThreads")]
public class BatchNormKernelsTests
{
    [Theory]
    [InlineData(3, 5, 7)]     // one part, vector tails only
    [InlineData(64, 128, 49)] // split among threads
    [InlineData(100, 240, 1)] // [N, C] features
    public void Passes_match_double_references_and_do_not_depend_on_the_thread_count(int n, int c, int inner)
    {
        var rng = new Random(n * 1000 + c);
        float[] x = Values(rng, n * c * inner, 1.5f, 0.3f), g = Values(rng, n * c * inner, 1f, 0f);
        float[] weight = Values(rng, c, 0.5f, 1f), bias = Values(rng, c, 0.5f, 0f);

        var one = ThreadCount.With(1, () => Passes(x, g, weight, bias, n, c, inner));
        var two = ThreadCount.With(2, () => Passes(x, g, weight, bias, n, c, inner));
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]); // exact, array by array

        var (mean, variance, y, dx, dw, db) = (one[0], one[1], one[2], one[3], one[4], one[5]);
        double count = (double)n * inner;
        for (int ch = 0; ch < c; ch++)
        {
            var at = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range((b * c + ch) * inner, inner)).ToArray();
            double mu = at.Average(i => (double)x[i]);
            double var = at.Average(i => (x[i] - mu) * (x[i] - mu));
            Assert.Equal(mu, mean[ch], 1e-5);
            Assert.Equal(var, variance[ch], 2e-5);
            double inv = 1 / Math.Sqrt(var + 1e-5);
            double sumG = at.Sum(i => (double)g[i]), sumGXhat = at.Sum(i => g[i] * (x[i] - mu) * inv);
            Assert.Equal(sumG, db[ch], 1e-3);
            Assert.Equal(sumGXhat, dw[ch], 1e-3);
            foreach (int i in at)
            {
                double xhat = (x[i] - mu) * inv;
                Assert.Equal(xhat * weight[ch] + bias[ch], y[i], 1e-4);
                double expected = weight[ch] * inv * (g[i] - sumG / count - xhat * sumGXhat / count);
                Assert.Equal(expected, dx[i], 1e-4);
            }
        }
    }

    /// <summary>mean, variance, y, dx, dweight, dbias.</summary>
    private static float[][] Passes(float[] x, float[] g, float[] weight, float[] bias, int n, int c, int inner)
    {
        float[] mean = new float[c], variance = new float[c], invStd = new float[c];
        BatchNormKernels.Statistics(x, n, c, inner, mean, variance);
        for (int i = 0; i < c; i++) invStd[i] = 1f / MathF.Sqrt(variance[i] + 1e-5f);
        var y = new float[x.Length];
        BatchNormKernels.Normalize(x, n, c, inner, mean, invStd, weight, bias, y);
        float[] dx = new float[x.Length], dw = new float[c], db = new float[c];
        BatchNormKernels.Backward(g, x, n, c, inner, mean, invStd, weight, dx, dw, db);
        return [mean, variance, y, dx, dw, db];
    }

    private static float[] Values(Random rng, int length, float scale, float offset) =>
        Enumerable.Range(0, length).Select(_ => offset + scale * (float)(rng.NextDouble() * 2 - 1)).ToArray();
}
