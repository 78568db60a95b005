using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Tensors;

namespace GanSharp.Tests.Evaluation;

public class ModeCoverageTests
{
    [Fact]
    public void Samples_from_the_mixture_cover_every_mode_with_high_quality()
    {
        var ring = GaussianMixture2D.Ring();
        var samples = new float[2500 * 2];
        ring.NextBatch(samples, 2500, new Rng(3));
        var r = ModeCoverage.Measure(samples, ring.Means, ring.Std);
        Assert.Equal(8, r.ModesCovered);
        Assert.True(r.HighQualityFraction > 0.99, $"{r.HighQualityFraction}"); // 3 std in 2-D holds 98.9 % of the mass
        Assert.True(r.ReverseKl < 0.01, $"{r.ReverseKl}");
    }

    [Fact]
    public void A_collapsed_generator_covers_one_mode_and_the_kl_is_log_k()
    {
        var grid = GaussianMixture2D.Grid();
        var samples = new float[100 * 2];
        for (int i = 0; i < 100; i++) { samples[2 * i] = 2.01f; samples[2 * i + 1] = -1.99f; }
        var r = ModeCoverage.Measure(samples, grid.Means, grid.Std);
        Assert.Equal(1, r.ModesCovered);
        Assert.Equal(1.0, r.HighQualityFraction);
        Assert.Equal(Math.Log(25), r.ReverseKl, 9);
    }

    [Fact]
    public void Samples_far_from_every_mode_are_not_high_quality()
    {
        var ring = GaussianMixture2D.Ring();
        float[] samples = [0f, 0f, 0.5f, 0.5f, 1.0f, 0.0f];
        var r = ModeCoverage.Measure(samples, ring.Means, ring.Std);
        Assert.Equal(1, r.ModesCovered);
        Assert.Equal(1.0 / 3, r.HighQualityFraction, 9);
    }
}
