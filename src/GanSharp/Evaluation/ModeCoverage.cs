namespace GanSharp.Evaluation;

/// <summary>Mode collapse measured as in VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018).</summary>
public sealed record ModeCoverageResult(int ModesCovered, int ModeCount, double HighQualityFraction, double ReverseKl, int[] HighQualityPerMode, int Samples);

public static class ModeCoverage
{
    /// <summary>
    /// A sample is high quality if it lies within <paramref name="stdMultiple"/> standard deviations of its
    /// nearest mode; a mode is covered if at least one high-quality sample is nearest to it. The reverse
    /// KL is KL(q || uniform) of the histogram q of high-quality samples over modes (0 when spread evenly).
    /// </summary>
    public static ModeCoverageResult Measure(ReadOnlySpan<float> samples, IReadOnlyList<(float X, float Y)> means, double std, double stdMultiple = 3)
    {
        if (samples.Length % 2 != 0 || samples.Length == 0) throw new ArgumentException("Mode coverage needs 2-D samples.");
        int n = samples.Length / 2, k = means.Count;
        var perMode = new int[k];
        int highQuality = 0;
        double limit = stdMultiple * std;
        for (int i = 0; i < n; i++)
        {
            double x = samples[2 * i], y = samples[2 * i + 1];
            int best = 0;
            double bestD = double.MaxValue;
            for (int m = 0; m < k; m++)
            {
                double d = (x - means[m].X) * (x - means[m].X) + (y - means[m].Y) * (y - means[m].Y);
                if (d < bestD) { bestD = d; best = m; }
            }
            if (Math.Sqrt(bestD) <= limit) { perMode[best]++; highQuality++; }
        }
        return new ModeCoverageResult(perMode.Count(c => c > 0), k, (double)highQuality / n, ReverseKl(perMode), perMode, n);
    }

    /// <summary>KL(q || uniform) of the histogram q over its modes: 0 when spread evenly, log(modes) when all in one; infinite when empty.</summary>
    public static double ReverseKl(ReadOnlySpan<int> perMode)
    {
        long total = 0;
        foreach (int c in perMode) total += c;
        if (total == 0) return double.PositiveInfinity;
        double kl = 0;
        foreach (int c in perMode)
            if (c > 0) { double q = (double)c / total; kl += q * Math.Log(q * perMode.Length); }
        return kl;
    }
}
