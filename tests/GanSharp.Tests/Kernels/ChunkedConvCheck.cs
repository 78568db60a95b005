namespace GanSharp.Tests.Kernels;

/// <summary>What the chunked convolution kernels' tests share: random operands, and one check of a kernel run against a direct double-precision sum.</summary>
internal static class ChunkedConvCheck
{
    public static float[] Values(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>
    /// <paramref name="run"/>(bias) into an output prefilled with NaN (every element must be written): bit-identical
    /// for one and two threads, and within 1e-4 (relative) of <paramref name="direct"/>(bias), with and without the bias,
    /// plus <paramref name="ofScale"/> times the largest expected magnitude (for sums whose rounding is relative to the
    /// output's scale rather than each element's, as Winograd's is).
    /// </summary>
    public static void Check(int outputs, float[] bias, Action<float[]?, float[]> run, Func<float[]?, double[]> direct, double ofScale = 0)
    {
        float[] Run(float[]? withBias)
        {
            var y = new float[outputs];
            y.AsSpan().Fill(float.NaN);
            run(withBias, y);
            return y;
        }

        float[] one = ThreadCount.With(1, () => Run(bias)), two = ThreadCount.With(2, () => Run(bias));
        Assert.Equal(one, two);
        AssertClose(direct(bias), one, ofScale);
        AssertClose(direct(null), ThreadCount.With(2, () => Run(null)), ofScale);
    }

    private static void AssertClose(double[] expected, float[] actual, double ofScale)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = ofScale * expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])) + scale, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
