using GanSharp.Tensors;

namespace GanSharp.Gan;

public enum NoiseKind { Uniform, Normal }

/// <summary>The generator's input distribution p_z: uniform(-scale, scale) or normal(0, scale^2), any dimension.</summary>
public sealed record NoisePrior(NoiseKind Kind, int Dimension, float Scale = 1f)
{
    public void Fill(Span<float> destination, Rng rng)
    {
        if (Kind == NoiseKind.Uniform) rng.FillUniform(destination, -Scale, Scale);
        else rng.FillNormal(destination, 0f, Scale);
    }

    public Tensor Sample(int count, Rng rng)
    {
        var z = Tensor.Zeros(count, Dimension);
        Fill(z.Span, rng);
        return z;
    }
}
