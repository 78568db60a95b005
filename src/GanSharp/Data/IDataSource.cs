using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>Where a GAN's real examples come from: fixed-size float vectors drawn a minibatch at a time.</summary>
public interface IDataSource
{
    /// <summary>Length of one example vector.</summary>
    int Dimension { get; }

    /// <summary>Writes <c>batch</c> examples (row-major, batch x Dimension) into <paramref name="destination"/>.</summary>
    void NextBatch(Span<float> destination, int batch, Rng rng);
}

/// <summary>A data source whose density is known in closed form (toy distributions), so D* can be computed.</summary>
public interface IDensity
{
    double Density(ReadOnlySpan<float> x);
}
