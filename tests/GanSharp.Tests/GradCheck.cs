using GanSharp.Autograd;
using GanSharp.Tensors;

namespace GanSharp.Tests;

/// <summary>
/// Finite-difference checks. The analytic gradient of f (a scalar) is compared with central
/// differences. f is evaluated in float32, so the step and tolerances are chosen for that:
/// eps = 1e-3 gives a truncation error ~eps^2 and a rounding error ~1e-7/eps ~ 1e-4 for f ~ 1.
/// </summary>
public static class GradCheck
{
    public const float Eps = 1e-3f;
    public const float Atol = 2e-3f;
    public const float Rtol = 2e-3f;

    /// <summary>A leaf tensor with values uniform in [low, high).</summary>
    public static Tensor Leaf(Rng rng, float low, float high, params int[] shape)
    {
        var t = Tensor.Uniform(new Shape(shape), low, high, rng);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Reduces any output to a scalar with fixed random weights so every element matters.</summary>
    public static Tensor WeightedSum(Tensor y, int seed = 99)
    {
        var w = Tensor.Uniform(y.Shape, 0.5f, 1.5f, new Rng((ulong)seed));
        return (y * w).Sum();
    }

    /// <summary>Checks d f / d input for each input by central differences; f must be deterministic.</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) =>
        CheckParameters(() => f(inputs), inputs, requireGradient: true);

    /// <summary>
    /// Second-order check: h(x) = sum(w * d f / d x) is built with createGraph, and its gradient with
    /// respect to every input (x and parameters) is compared with central differences of h.
    /// </summary>
    public static void CheckSecondOrder(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        Tensor H()
        {
            var y = f(inputs);
            var gx = GradEngine.Grad(y, inputs[0], createGraph: true);
            var h = WeightedSum(gx, seed: 7);
            Assert.True(h.RequiresGrad, "the gradient was not recorded with createGraph");
            return h;
        }
        CheckParameters(H, inputs);
    }

    /// <summary>
    /// The gradient of the scalar <paramref name="f"/> with respect to each tensor, by Backward and by
    /// central differences. A tensor that f does not reach has gradient zero unless <paramref name="requireGradient"/>.
    /// </summary>
    public static void CheckParameters(Func<Tensor> f, IReadOnlyList<Tensor> parameters, float atol = Atol, float rtol = Rtol, bool requireGradient = false)
    {
        foreach (var x in parameters) x.Grad = null;
        var y = f();
        Assert.Equal(1, y.Length);
        y.Backward();
        for (int k = 0; k < parameters.Count; k++)
        {
            var x = parameters[k];
            if (requireGradient) Assert.NotNull(x.Grad);
            var analytic = x.Grad?.ToArray() ?? new float[x.Length];
            var data = x.Span;
            for (int i = 0; i < data.Length; i++)
            {
                float numeric = Numeric(() => f().Item(), data, i);
                AssertClose(numeric, analytic[i], $"input {k} element {i}", atol, rtol);
            }
        }
    }

    private static float Numeric(Func<float> f, Span<float> data, int i)
    {
        float saved = data[i];
        data[i] = saved + Eps;
        double plus = f();
        data[i] = saved - Eps;
        double minus = f();
        data[i] = saved;
        return (float)((plus - minus) / (2 * Eps));
    }

    public static void AssertClose(float expected, float actual, string what, float atol = Atol, float rtol = Rtol)
    {
        float tol = atol + rtol * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tol,
            $"{what}: finite difference {expected:G7} vs analytic {actual:G7} (tolerance {tol:G3})");
    }
}
