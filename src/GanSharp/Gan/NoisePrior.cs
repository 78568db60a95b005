using GanSharp.Tensors;

namespace GanSharp.Gan;

public enum NoiseKind { Uniform, Normal }

/// <summary>
/// The generator's input: z ~ uniform(-scale, scale) or normal(0, scale^2) of <see cref="LatentDimension"/>,
/// followed, for a conditional GAN, by a one-hot class label of <see cref="Classes"/> entries.
/// </summary>
public sealed record NoisePrior(NoiseKind Kind, int LatentDimension, float Scale = 1f, int Classes = 0)
{
    /// <summary>Width of one generator input row: latent plus one-hot label.</summary>
    public int Dimension => LatentDimension + Classes;

    public bool IsConditional => Classes > 0;

    /// <summary>Fills rows of generator input; labels are drawn uniformly (training).</summary>
    public void Fill(Span<float> destination, Rng rng) => Fill(destination, rng, labelsInOrder: false);

    /// <param name="labelsInOrder">Row i gets class i mod Classes (sample grids show every class), else a random class.</param>
    public void Fill(Span<float> destination, Rng rng, bool labelsInOrder)
    {
        if (!IsConditional)
        {
            Draw(destination, rng);
            return;
        }
        int rows = destination.Length / Dimension;
        for (int r = 0; r < rows; r++)
        {
            var row = destination.Slice(r * Dimension, Dimension);
            Draw(row[..LatentDimension], rng);
            row[LatentDimension..].Clear();
            row[LatentDimension + (labelsInOrder ? r % Classes : rng.NextInt(Classes))] = 1f;
        }
    }

    private void Draw(Span<float> destination, Rng rng)
    {
        if (Kind == NoiseKind.Uniform) rng.FillUniform(destination, -Scale, Scale);
        else rng.FillNormal(destination, 0f, Scale);
    }

    /// <summary>Generator inputs for <paramref name="count"/> samples, classes in order when conditional.</summary>
    public Tensor Sample(int count, Rng rng)
    {
        var z = Tensor.Zeros(count, Dimension);
        Fill(z.Span, rng, labelsInOrder: true);
        return z;
    }
}
