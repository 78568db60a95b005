using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Figures;

namespace GanSharp.Runs;

/// <summary>The mode-collapse picture: generated samples scattered over the mixture's modes.</summary>
public static class MixtureFigures
{
    public static Plot Samples(float[] samples, GaussianMixture2D mixture, ModeCoverageResult coverage)
    {
        var xs = new double[samples.Length / 2];
        var ys = new double[samples.Length / 2];
        for (int i = 0; i < xs.Length; i++) { xs[i] = samples[2 * i]; ys[i] = samples[2 * i + 1]; }
        return new Plot
        {
            Title = $"{coverage.ModesCovered}/{coverage.ModeCount} modes, {coverage.HighQualityFraction:P1} high quality",
            XLabel = "x",
            YLabel = "y",
        }
            .Scatter(xs, ys, "G(z)", Color.Series(0), 2)
            .Scatter(mixture.Means.Select(m => (double)m.X), mixture.Means.Select(m => (double)m.Y), "modes", Color.Series(3), 6);
    }
}
