using GanSharp.Autograd;
using GanSharp.Tensors;

namespace GanSharp.Gan;

public enum RegularizerKind { None, GradientPenalty, R1 }

/// <summary>
/// Penalties on the discriminator's input gradient, computed with real double backward: the
/// gradient is recorded (createGraph) so the penalty's own gradient reaches D's weights.
/// Norms are per sample, over all of its dimensions.
/// </summary>
public sealed record Regularizer(RegularizerKind Kind, float Weight)
{
    public static readonly Regularizer None = new(RegularizerKind.None, 0f);

    /// <summary>
    /// WGAN-GP (Gulrajani et al. 2017): weight * mean((||grad D(x_hat)|| - 1)^2) at x_hat = e x + (1 - e) G(z), e ~ U(0, 1) per sample.
    /// R1 (Mescheder et al. 2018): weight / 2 * mean(||grad D(x)||^2) on real data.
    /// </summary>
    public Tensor? Penalty(Func<Tensor, Tensor> discriminator, Tensor real, Tensor fake, Rng rng)
    {
        if (Kind == RegularizerKind.None) return null;
        int batch = real.Shape[0];
        Tensor point;
        if (Kind == RegularizerKind.GradientPenalty)
        {
            var e = Tensor.Zeros(batch, 1);
            rng.FillUniform(e.Span, 0f, 1f);
            using (GradMode.NoGrad()) point = real * e + fake.Detach() * (1f - e);
        }
        else point = real.Detach();
        point = point.Detach();
        point.RequiresGrad = true;
        var grad = GradEngine.Grad(discriminator(point).Sum(), point, createGraph: true);
        var squaredNorm = grad.Square().Sum(1);
        return Kind == RegularizerKind.GradientPenalty
            ? (squaredNorm.Sqrt() - 1f).Square().Mean() * Weight
            : squaredNorm.Mean() * (0.5f * Weight);
    }
}
