using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>The 1-D toy data of the GAN tutorial studies: x ~ N(mean, std^2), drawn fresh every batch.</summary>
public sealed class Gaussian1D : IDataSource, IDensity
{
    public double Mean { get; }
    public double Std { get; }

    public Gaussian1D(double mean = 4.0, double std = 0.5)
    {
        if (!(std > 0) || !double.IsFinite(mean)) throw new ArgumentException($"Gaussian1D needs a finite mean and std > 0; got mean={mean}, std={std}.");
        Mean = mean;
        Std = std;
    }

    public int Dimension => 1;

    public void NextBatch(Span<float> destination, int batch, Rng rng) =>
        rng.FillNormal(destination[..batch], (float)Mean, (float)Std);

    public double Density(ReadOnlySpan<float> x) => Pdf(x[0]);

    public double Pdf(double x)
    {
        double u = (x - Mean) / Std;
        return Math.Exp(-0.5 * u * u) / (Std * Math.Sqrt(2 * Math.PI));
    }
}
