using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector256<float>;

namespace GanSharp.Kernels;

/// <summary>
/// The transforms of Winograd's minimal filtering F(4, 2): four outputs of a two-tap correlation from five inputs with five
/// multiplications, y = A^T [(G g) * (B^T d)], interpolation points 0, 1, -1, 2 and infinity. Rows are scaled so that the data
/// transform has small integer entries (the fractions go to the filter, transformed once per call):
/// <code>
/// B^T = [2 -1 -2  1  0]    G = [1/2    0]    A^T = [1 1  1 1 0]
///       [0  2  1 -1  0]        [1/2  1/2]          [0 1 -1 2 0]
///       [0 -2  3 -1  0]        [1/6 -1/6]          [0 1  1 4 0]
///       [0 -1  0  1  0]        [1/6  1/3]          [0 1 -1 8 1]
///       [0  2 -1 -2  1]        [0      1]
/// </code>
/// Each works on 8 channels at once; the transposes (B, G^T, A) are the backward passes'. The 2-D transforms apply them along
/// rows and then along columns of a tile whose points lie <c>stride</c> vectors apart.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>Data points per tile side (4 outputs + 2 taps - 1).</summary>
    public const int Alpha = 5;

    /// <summary>Outputs per tile side.</summary>
    public const int Outputs = 4;

    private static readonly V Two = Vector256.Create(2f), Three = Vector256.Create(3f), Four = Vector256.Create(4f),
        Eight = Vector256.Create(8f), Half = Vector256.Create(0.5f), Sixth = Vector256.Create(1f / 6f);

    /// <summary>v = B^T d (5 points from 5), on <paramref name="p"/>[0], p[s], ..., p[4 s] in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Data(V* p, int s)
    {
        V d0 = p[0], d1 = p[s], d2 = p[2 * s], d3 = p[3 * s], d4 = p[4 * s];
        p[0] = Two * (d0 - d2) + (d3 - d1);
        p[s] = Two * d1 + d2 - d3;
        p[2 * s] = Three * d2 - Two * d1 - d3;
        p[3 * s] = d3 - d1;
        p[4 * s] = Two * (d1 - d3) - d2 + d4;
    }

    /// <summary>d = B v, the transpose of <see cref="Data"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DataAdjoint(V* p, int s)
    {
        V v0 = p[0], v1 = p[s], v2 = p[2 * s], v3 = p[3 * s], v4 = p[4 * s];
        p[0] = Two * v0;
        p[s] = Two * (v1 - v2 + v4) - v0 - v3;
        p[2 * s] = Three * v2 + v1 - Two * v0 - v4;
        p[3 * s] = v0 - v1 - v2 + v3 - Two * v4;
        p[4 * s] = v4;
    }

    /// <summary>u = G g (5 points from the 2 taps <paramref name="g0"/>, <paramref name="g1"/>) into p[0], p[s], ..., p[4 s].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter(V g0, V g1, V* p, int s)
    {
        p[0] = Half * g0;
        p[s] = Half * (g0 + g1);
        p[2 * s] = Sixth * (g0 - g1);
        p[3 * s] = Sixth * (g0 + Two * g1);
        p[4 * s] = g1;
    }

    /// <summary>g = G^T u (2 taps from 5 points), the transpose of <see cref="Filter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterAdjoint(V* p, int s, out V g0, out V g1)
    {
        V u0 = p[0], u1 = p[s], u2 = p[2 * s], u3 = p[3 * s], u4 = p[4 * s];
        g0 = Half * (u0 + u1) + Sixth * (u2 + u3);
        g1 = Half * u1 + Sixth * (Two * u3 - u2) + u4;
    }

    /// <summary>y = A^T m (4 outputs from 5 points): p[0], p[s], p[2 s], p[3 s] get the outputs; p[4 s] is left as it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output(V* p, int s)
    {
        V m0 = p[0], m1 = p[s], m2 = p[2 * s], m3 = p[3 * s], m4 = p[4 * s];
        V sum = m1 + m2, difference = m1 - m2;
        p[0] = m0 + sum + m3;
        p[s] = difference + Two * m3;
        p[2 * s] = sum + Four * m3;
        p[3 * s] = difference + Eight * m3 + m4;
    }

    /// <summary>m = A y (5 points from the 4 outputs p[0], ..., p[3 s]), the transpose of <see cref="Output"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjoint(V* p, int s)
    {
        V y0 = p[0], y1 = p[s], y2 = p[2 * s], y3 = p[3 * s];
        V even = y0 + y2, odd = y1 + y3;
        p[s] = even + odd;
        p[2 * s] = even - odd;
        p[3 * s] = y0 + Two * y1 + Four * y2 + Eight * y3;
        p[4 * s] = y3;
    }
}
