using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanSharp.Kernels;

/// <summary>
/// Activations applied to GEMM output while it is still in L1 (the micro-kernel adds the bias
/// itself; <see cref="Row"/> does both for the k == 0 case).
/// </summary>
/// <remarks>
/// Every element goes through the same Vector256 code (a partial vector is padded through a
/// temporary), so an element's value never depends on where it sits in a row or tile. That is
/// what keeps the GEMM bit-identical however its work is split.
/// </remarks>
internal static unsafe class GemmEpilogue
{
    /// <summary>Applies the activation to a 6x16 tile (the bias is already in: the kernel adds it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(float* c, nint ldc, Activation act, float slope)
    {
        var slopes = Vector256.Create(slope);
        for (int r = 0; r < GemmBlocking.MR; r++, c += ldc)
        {
            Vector256.Store(Apply(Vector256.Load(c), act, slopes), c);
            Vector256.Store(Apply(Vector256.Load(c + 8), act, slopes), c + 8);
        }
    }

    /// <summary>row[j] = act(row[j] + bias[j]) for j &lt; n; bias may be null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(float* row, int n, float* bias, Activation act, float slope)
    {
        var slopes = Vector256.Create(slope);
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            var v = Vector256.Load(row + j);
            if (bias != null) v += Vector256.Load(bias + j);
            Vector256.Store(Apply(v, act, slopes), row + j);
        }
        if (j < n)
        {
            float* tmp = stackalloc float[8];
            float* tmpBias = stackalloc float[8];
            for (int t = 0; t < 8; t++)
            {
                tmp[t] = j + t < n ? row[j + t] : 0f;
                tmpBias[t] = bias != null && j + t < n ? bias[j + t] : 0f;
            }
            var v = Vector256.Load(tmp);
            if (bias != null) v += Vector256.Load(tmpBias);
            Vector256.Store(Apply(v, act, slopes), tmp);
            for (int t = 0; j + t < n; t++) row[j + t] = tmp[t];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> x, Activation act, Vector256<float> slope) => act switch
    {
        Activation.Identity => x,
        // x < 0 ? 0 : x rather than max(x, 0) so that NaN stays NaN.
        Activation.Relu => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x),
        Activation.LeakyRelu => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x * slope, x),
        Activation.Sigmoid => Sigmoid(x),
        Activation.Tanh => Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    /// <summary>1 / (1 + exp(-x)); saturates to exactly 0 and 1.</summary>
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var one = Vector256.Create(1f);
        return one / (one + Vector256.Exp(-x));
    }

    /// <summary>tanh(x), about 2 ulp: an odd polynomial near 0 (where 1 - 2/(e^2x + 1) would cancel), the exp form elsewhere.</summary>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var one = Vector256.Create(1f);

        // |x| < 0.625: x + x^3 * P(x^2), the minimax coefficients of Cephes' tanhf.
        var z = x * x;
        var p = Vector256.Create(-5.70498872745e-3f);
        p = p * z + Vector256.Create(2.06390887954e-2f);
        p = p * z + Vector256.Create(-5.37397155531e-2f);
        p = p * z + Vector256.Create(1.33314422036e-1f);
        p = p * z + Vector256.Create(-3.33332819422e-1f);
        var small = x + x * z * p;

        // |x| >= 0.625: 1 - 2 / (exp(2|x|) + 1), with the sign of x put back; exp overflow gives 1.
        var large = one - Vector256.Create(2f) / (Vector256.Exp(ax + ax) + one);
        large |= x & Vector256.Create(-0f);

        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.625f)), small, large);
    }
}
