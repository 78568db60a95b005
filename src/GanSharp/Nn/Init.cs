using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>In-place initialisers (PyTorch's nn.init). Fan-in/out follow PyTorch: [out, in, kernel...].</summary>
public static class Init
{
    public static void Uniform(Tensor t, float low, float high, Rng? rng = null) =>
        (rng ?? Rng.Shared).FillUniform(t.Span, low, high);

    public static void Normal(Tensor t, float mean, float std, Rng? rng = null) =>
        (rng ?? Rng.Shared).FillNormal(t.Span, mean, std);

    public static void Constant(Tensor t, float value) => t.Span.Fill(value);

    public static void Zeros(Tensor t) => t.Span.Clear();

    /// <summary>Glorot/Xavier uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor t, float gain = 1f, Rng? rng = null)
    {
        var (fanIn, fanOut) = Fans(t);
        float a = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        Uniform(t, -a, a, rng);
    }

    /// <summary>Glorot/Xavier normal: N(0, gain^2 * 2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor t, float gain = 1f, Rng? rng = null)
    {
        var (fanIn, fanOut) = Fans(t);
        Normal(t, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)), rng);
    }

    /// <summary>He/Kaiming uniform for (leaky) ReLU with negative slope a: bound = sqrt(6 / ((1 + a^2) fan_in)).</summary>
    public static void KaimingUniform(Tensor t, float a = 0f, Rng? rng = null)
    {
        var (fanIn, _) = Fans(t);
        float bound = MathF.Sqrt(6f / ((1 + a * a) * fanIn));
        Uniform(t, -bound, bound, rng);
    }

    /// <summary>He/Kaiming normal: std = sqrt(2 / ((1 + a^2) fan_in)).</summary>
    public static void KaimingNormal(Tensor t, float a = 0f, Rng? rng = null)
    {
        var (fanIn, _) = Fans(t);
        Normal(t, 0f, MathF.Sqrt(2f / ((1 + a * a) * fanIn)), rng);
    }

    private static (int FanIn, int FanOut) Fans(Tensor t)
    {
        if (t.Rank < 2) throw new ArgumentException($"Fan-in/fan-out need a weight of rank >= 2; shape is {t.Shape}.");
        int receptive = 1;
        for (int i = 2; i < t.Rank; i++) receptive *= t.Shape[i];
        return (t.Shape[1] * receptive, t.Shape[0] * receptive);
    }
}
