namespace GanSharp.Evaluation;

/// <summary>Gaussian kernel density estimate of 1-D samples (Silverman's bandwidth unless given).</summary>
public sealed class KernelDensity1D
{
    private readonly float[] _samples;

    public double Bandwidth { get; }

    public KernelDensity1D(ReadOnlySpan<float> samples, double? bandwidth = null)
    {
        if (samples.Length < 2) throw new ArgumentException("A density estimate needs at least 2 samples.");
        _samples = samples.ToArray();
        Array.Sort(_samples);
        double mean = 0, sq = 0;
        foreach (var s in _samples) mean += s;
        mean /= _samples.Length;
        foreach (var s in _samples) sq += (s - mean) * (s - mean);
        double std = Math.Sqrt(sq / (_samples.Length - 1));
        Bandwidth = bandwidth ?? Math.Max(1.06 * std * Math.Pow(_samples.Length, -0.2), 1e-4);
    }

    public double Density(double x)
    {
        // Only samples within 8 bandwidths contribute measurably; the sorted array bounds that range.
        double h = Bandwidth, reach = 8 * h, sum = 0;
        int lo = LowerBound(x - reach), hi = LowerBound(x + reach);
        for (int i = lo; i < hi; i++)
        {
            double u = (x - _samples[i]) / h;
            sum += Math.Exp(-0.5 * u * u);
        }
        return sum / (_samples.Length * h * Math.Sqrt(2 * Math.PI));
    }

    private int LowerBound(double value)
    {
        int lo = 0, hi = _samples.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_samples[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
