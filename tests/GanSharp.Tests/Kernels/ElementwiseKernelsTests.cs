using GanSharp.Kernels;

namespace GanSharp.Tests.Kernels;

public class ElementwiseKernelsTests
{
    [Fact]
    public void Vectorised_softplus_matches_double_precision_and_keeps_nan_and_infinities()
    {
        var x = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-8f, -1e-8f, 88f, -88f, 100f, -100f, 20f, -20f };
        var rng = new Random(3);
        for (int i = 0; i < 1000; i++) x.Add((float)(rng.NextDouble() * 60 - 30));
        var y = new float[x.Count];
        ElementwiseKernels.Softplus(x.ToArray(), y);
        for (int i = 0; i < x.Count; i++)
        {
            double v = x[i];
            double expected = Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));
            if (double.IsNaN(v)) Assert.True(float.IsNaN(y[i]));
            else if (double.IsInfinity(expected)) Assert.Equal(expected, y[i]);
            else Assert.True(Math.Abs(y[i] - expected) <= 2e-7 + 2e-7 * Math.Abs(expected), $"softplus({v}) = {y[i]}, expected {expected}");
        }
    }
}
