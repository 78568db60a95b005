using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Kernels;

/// <summary>Elementwise kernels that TensorPrimitives does not offer directly.</summary>
internal static class ElementwiseKernels
{
    /// <summary>softplus(x) = max(x, 0) + log(1 + exp(-|x|)), exact for large |x|.</summary>
    /// <summary>Vectorised softplus; log(1 + e) loses terms below float epsilon, an absolute error under 1e-7.</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y)
    {
        // One pass in registers (seven TensorPrimitives passes before cost a tenth of a toy GAN step).
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var e = Vector256.Exp(-Vector256.Abs(v));
                // Max, not MaxNative: a NaN input must stay NaN.
                (Vector256.Max(v, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + e)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = Softplus(x[i]);
    }

    public static float Softplus(float v)
    {
        // log1p(e) by its series where 1 + e would round the small term away.
        float e = MathF.Exp(-MathF.Abs(v));
        return MathF.Max(v, 0f) + (e < 1e-4f ? e * (1f - 0.5f * e) : MathF.Log(1f + e));
    }

    /// <summary>
    /// v &gt; 0 ? v : slope v, eight lanes: <see cref="LeakyRelu"/>'s select, for the kernels that rectify their output as
    /// they write it (batch norm, convolutions), so that a fused rectifier gives exactly the separate layer's floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Rectify(Vector256<float> v, Vector256<float> slope) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * slope);

    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float slope)
    {
        // Vectorised select: x > 0 ? x : slope * x (a branchy loop cost 10% of a DCGAN step).
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zero = Vector<float>.Zero;
            var s = new Vector<float>(slope);
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, zero), v, v * s).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>out = cond != 0 ? a : b, where a and b are full-length or single values.</summary>
    public static void Select(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        bool sa = a.Length == 1, sb = b.Length == 1;
        for (int i = 0; i < cond.Length; i++)
            y[i] = cond[i] != 0 ? a[sa ? 0 : i] : b[sb ? 0 : i];
    }

    /// <summary>1 where min &lt; x &lt; max, else 0 (where clamp passes gradient).</summary>
    public static void InsideMask(ReadOnlySpan<float> x, Span<float> m, float min, float max)
    {
        for (int i = 0; i < x.Length; i++) m[i] = x[i] > min && x[i] < max ? 1f : 0f;
    }

    /// <summary>
    /// y = g * step(x), where step(x) = 1 for x &gt; 0, else <paramref name="negativeSlope"/>: the backward pass of relu
    /// or leaky relu in one pass. An empty <paramref name="g"/> stands for ones, which gives the step mask itself.
    /// </summary>
    public static void StepProduct(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> y, float negativeSlope)
    {
        bool mask = g.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zero = Vector<float>.Zero;
            var one = Vector<float>.One;
            var s = new Vector<float>(negativeSlope);
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var step = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x[i..]), zero), one, s);
                (mask ? step : new Vector<float>(g[i..]) * step).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            float step = x[i] > 0 ? 1f : negativeSlope;
            y[i] = mask ? step : g[i] * step;
        }
    }

    /// <summary>sign(x), the derivative of |x| (0 at 0).</summary>
    public static void Sign(ReadOnlySpan<float> x, Span<float> m)
    {
        for (int i = 0; i < x.Length; i++) m[i] = MathF.Sign(x[i]);
    }

    /// <summary>Mean binary cross-entropy on logits: mean(max(x,0) - x t + log(1 + exp(-|x|))).</summary>
    public static float BceWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float scalarTarget)
    {
        double sum = 0;
        bool perElement = targets.Length > 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float x = logits[i], t = perElement ? targets[i] : scalarTarget;
            sum += Softplus(x) - x * t;
        }
        return (float)(sum / logits.Length);
    }
}
