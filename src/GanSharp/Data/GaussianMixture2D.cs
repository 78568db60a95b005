using System.Globalization;
using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>
/// The 2-D toy data of mode-collapse studies: an equal-weight mixture of isotropic Gaussians
/// N(mean_k, std^2 I). Each example picks a mode uniformly and is drawn fresh every batch.
/// <see cref="Ring"/> gives the ring of Gaussians of Metz et al. 2017 (unrolled GANs; they used
/// radius 2, std 0.02); <see cref="Grid"/> the 5x5 grid of Srivastava et al. 2017 (VEEGAN) and
/// Lin et al. 2018 (PacGAN).
/// </summary>
public sealed class GaussianMixture2D : IDataSource, IDensity
{
    private readonly (float X, float Y)[] _means;
    private readonly IReadOnlyList<(float X, float Y)> _meansView;

    public GaussianMixture2D(IEnumerable<(float X, float Y)> means, double std)
    {
        ArgumentNullException.ThrowIfNull(means);
        _means = means.ToArray();
        if (_means.Length == 0) throw new ArgumentException("A mixture needs at least one mode.", nameof(means));
        foreach (var (x, y) in _means)
            if (!float.IsFinite(x) || !float.IsFinite(y))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Mode means must be finite; got ({x}, {y})."), nameof(means));
        if (!(std > 0) || !double.IsFinite(std))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The mixture needs a finite std > 0; got {std}."), nameof(std));
        Std = std;
        _meansView = Array.AsReadOnly(_means);
    }

    /// <summary><paramref name="modes"/> Gaussians evenly spaced on a circle, the first on the positive x axis.</summary>
    public static GaussianMixture2D Ring(int modes = 8, double radius = 1.0, double std = 0.01)
    {
        if (modes < 1) throw new ArgumentOutOfRangeException(nameof(modes), $"A ring needs at least one mode; got {modes}.");
        var means = new (float X, float Y)[modes];
        for (int k = 0; k < modes; k++)
        {
            double angle = 2 * Math.PI * k / modes;
            means[k] = ((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
        }
        return new GaussianMixture2D(means, std);
    }

    /// <summary>A side x side grid centred on the origin; the defaults give means at {-4, -2, 0, 2, 4}^2.</summary>
    public static GaussianMixture2D Grid(int side = 5, double spacing = 2.0, double std = 0.05)
    {
        if (side < 1) throw new ArgumentOutOfRangeException(nameof(side), $"A grid needs side >= 1; got {side}.");
        var means = new (float X, float Y)[side * side];
        double offset = (side - 1) / 2.0;
        for (int i = 0; i < side; i++)
            for (int j = 0; j < side; j++)
                means[i * side + j] = ((float)((i - offset) * spacing), (float)((j - offset) * spacing));
        return new GaussianMixture2D(means, std);
    }

    /// <summary>The mode centres, in mode-index order.</summary>
    public IReadOnlyList<(float X, float Y)> Means => _meansView;

    /// <summary>Standard deviation of every mode, per coordinate.</summary>
    public double Std { get; }

    public int ModeCount => _means.Length;

    public int Dimension => 2;

    /// <summary>Writes <paramref name="batch"/> points (x, y) drawn from <paramref name="rng"/>.</summary>
    public void NextBatch(Span<float> destination, int batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (destination.Length < 2L * batch)
            throw new ArgumentException($"Destination holds {destination.Length} floats; {batch} points need {2L * batch}.", nameof(destination));
        float std = (float)Std;
        for (int i = 0; i < batch; i++)
        {
            var (mx, my) = _means[rng.NextInt(_means.Length)];
            destination[2 * i] = mx + std * rng.NextNormal();
            destination[2 * i + 1] = my + std * rng.NextNormal();
        }
    }

    /// <summary>The mixture density at (x[0], x[1]).</summary>
    public double Density(ReadOnlySpan<float> x)
    {
        if (x.Length < 2) throw new ArgumentException($"A 2-D point needs 2 coordinates; got {x.Length}.", nameof(x));
        return Pdf(x[0], x[1]);
    }

    public double Pdf(double x, double y)
    {
        double inv2Var = 1 / (2 * Std * Std), sum = 0;
        foreach (var (mx, my) in _means)
        {
            double dx = x - mx, dy = y - my;
            sum += Math.Exp(-(dx * dx + dy * dy) * inv2Var);
        }
        return sum / (_means.Length * 2 * Math.PI * Std * Std);
    }

    /// <summary>The mode whose centre is closest to (x, y), and the distance to it.</summary>
    public (int Mode, double Distance) NearestMode(double x, double y)
    {
        int best = 0;
        double bestSq = double.PositiveInfinity;
        for (int k = 0; k < _means.Length; k++)
        {
            double dx = x - _means[k].X, dy = y - _means[k].Y, sq = dx * dx + dy * dy;
            if (sq < bestSq) (best, bestSq) = (k, sq);
        }
        return (best, Math.Sqrt(bestSq));
    }
}
