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
/// Each works on 8 channels at once; the transposes (B, G^T, A) are the backward passes'. The 2-D transforms of a tile apply
/// them along its columns and then its rows on 25 vectors held in registers, written out point by point: loops over a
/// stack array of vectors ran the step 1.14x slower.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>Data points per tile side (4 outputs + 2 taps - 1).</summary>
    public const int Alpha = 5;

    /// <summary>Outputs per tile side.</summary>
    public const int Outputs = 4;

    private static readonly V Two = Vector256.Create(2f), Three = Vector256.Create(3f), Four = Vector256.Create(4f),
        Eight = Vector256.Create(8f), Half = Vector256.Create(0.5f), Sixth = Vector256.Create(1f / 6f);

    // ---- One dimension ----

    /// <summary>v = B^T d (5 points from 5), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Data(ref V d0, ref V d1, ref V d2, ref V d3, ref V d4)
    {
        V v0 = Two * (d0 - d2) + (d3 - d1), v1 = Two * d1 + d2 - d3, v2 = Three * d2 - Two * d1 - d3, v3 = d3 - d1;
        d4 = Two * (d1 - d3) - d2 + d4;
        d0 = v0; d1 = v1; d2 = v2; d3 = v3;
    }

    /// <summary>d = B v, the transpose of <see cref="Data"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DataAdjoint(ref V v0, ref V v1, ref V v2, ref V v3, ref V v4)
    {
        V d1 = Two * (v1 - v2 + v4) - v0 - v3, d2 = Three * v2 + v1 - Two * v0 - v4, d3 = v0 - v1 - v2 + v3 - Two * v4;
        v0 = Two * v0;
        v1 = d1; v2 = d2; v3 = d3;
    }

    /// <summary>u = G g (5 points from 2 taps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Filter(V g0, V g1, out V u0, out V u1, out V u2, out V u3, out V u4)
    {
        u0 = Half * g0;
        u1 = Half * (g0 + g1);
        u2 = Sixth * (g0 - g1);
        u3 = Sixth * (g0 + Two * g1);
        u4 = g1;
    }

    /// <summary>g = G^T u (2 taps from 5 points), the transpose of <see cref="Filter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FilterAdjoint(V u0, V u1, V u2, V u3, V u4, out V g0, out V g1)
    {
        g0 = Half * (u0 + u1) + Sixth * (u2 + u3);
        g1 = Half * u1 + Sixth * (Two * u3 - u2) + u4;
    }

    /// <summary>y = A^T m (4 outputs from 5 points) into m0..m3; m4 is left as it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Output(ref V m0, ref V m1, ref V m2, ref V m3, ref V m4)
    {
        V sum = m1 + m2, difference = m1 - m2;
        m0 = m0 + sum + m3;
        V y3 = difference + Eight * m3 + m4, y2 = sum + Four * m3;
        m1 = difference + Two * m3;
        m2 = y2; m3 = y3;
    }

    /// <summary>m = A y (5 points from the 4 outputs y0..y3 in m0..m3), the transpose of <see cref="Output"/>, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputAdjoint(ref V y0, ref V y1, ref V y2, ref V y3, ref V m4)
    {
        V even = y0 + y2, odd = y1 + y3, m3 = y0 + Two * y1 + Four * y2 + Eight * y3;
        m4 = y3;
        y1 = even + odd;
        y2 = even - odd;
        y3 = m3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* target, int offset, V v)
    {
        if (target == null) return;
        float* at = target + offset;
        (Vector256.Load(at) + v).Store(at);
    }

    // ---- Tiles (5 x 5 points, row-major) ----

    /// <summary>
    /// A tile's transformed data B^T d B: d[p] = Vector256.Load(source[p] + offset) for its 25 points (row-major), the result's
    /// point p stored at destination + p * stride. In registers throughout (25 vectors; the JIT has 32 with AVX-512).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DataTile(float** source, int offset, float* destination, long stride)
    {
        V d00 = Vector256.Load(source[0] + offset), d01 = Vector256.Load(source[1] + offset), d02 = Vector256.Load(source[2] + offset), d03 = Vector256.Load(source[3] + offset), d04 = Vector256.Load(source[4] + offset);
        V d10 = Vector256.Load(source[5] + offset), d11 = Vector256.Load(source[6] + offset), d12 = Vector256.Load(source[7] + offset), d13 = Vector256.Load(source[8] + offset), d14 = Vector256.Load(source[9] + offset);
        V d20 = Vector256.Load(source[10] + offset), d21 = Vector256.Load(source[11] + offset), d22 = Vector256.Load(source[12] + offset), d23 = Vector256.Load(source[13] + offset), d24 = Vector256.Load(source[14] + offset);
        V d30 = Vector256.Load(source[15] + offset), d31 = Vector256.Load(source[16] + offset), d32 = Vector256.Load(source[17] + offset), d33 = Vector256.Load(source[18] + offset), d34 = Vector256.Load(source[19] + offset);
        V d40 = Vector256.Load(source[20] + offset), d41 = Vector256.Load(source[21] + offset), d42 = Vector256.Load(source[22] + offset), d43 = Vector256.Load(source[23] + offset), d44 = Vector256.Load(source[24] + offset);
        Data(ref d00, ref d10, ref d20, ref d30, ref d40);
        Data(ref d01, ref d11, ref d21, ref d31, ref d41);
        Data(ref d02, ref d12, ref d22, ref d32, ref d42);
        Data(ref d03, ref d13, ref d23, ref d33, ref d43);
        Data(ref d04, ref d14, ref d24, ref d34, ref d44);
        Data(ref d00, ref d01, ref d02, ref d03, ref d04);
        Data(ref d10, ref d11, ref d12, ref d13, ref d14);
        Data(ref d20, ref d21, ref d22, ref d23, ref d24);
        Data(ref d30, ref d31, ref d32, ref d33, ref d34);
        Data(ref d40, ref d41, ref d42, ref d43, ref d44);
        d00.Store(destination + 0 * stride); d01.Store(destination + 1 * stride); d02.Store(destination + 2 * stride); d03.Store(destination + 3 * stride); d04.Store(destination + 4 * stride);
        d10.Store(destination + 5 * stride); d11.Store(destination + 6 * stride); d12.Store(destination + 7 * stride); d13.Store(destination + 8 * stride); d14.Store(destination + 9 * stride);
        d20.Store(destination + 10 * stride); d21.Store(destination + 11 * stride); d22.Store(destination + 12 * stride); d23.Store(destination + 13 * stride); d24.Store(destination + 14 * stride);
        d30.Store(destination + 15 * stride); d31.Store(destination + 16 * stride); d32.Store(destination + 17 * stride); d33.Store(destination + 18 * stride); d34.Store(destination + 19 * stride);
        d40.Store(destination + 20 * stride); d41.Store(destination + 21 * stride); d42.Store(destination + 22 * stride); d43.Store(destination + 23 * stride); d44.Store(destination + 24 * stride);
    }

    /// <summary>
    /// The transpose of <see cref="DataTile"/>: d = B v B^T for v[p] = source + p * stride, each point added into
    /// target[p] + offset (a null target drops the point: it lies in the padding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DataAdjointTile(float* source, long stride, float** target, int offset)
    {
        V d00 = Vector256.Load(source + 0 * stride), d01 = Vector256.Load(source + 1 * stride), d02 = Vector256.Load(source + 2 * stride), d03 = Vector256.Load(source + 3 * stride), d04 = Vector256.Load(source + 4 * stride);
        V d10 = Vector256.Load(source + 5 * stride), d11 = Vector256.Load(source + 6 * stride), d12 = Vector256.Load(source + 7 * stride), d13 = Vector256.Load(source + 8 * stride), d14 = Vector256.Load(source + 9 * stride);
        V d20 = Vector256.Load(source + 10 * stride), d21 = Vector256.Load(source + 11 * stride), d22 = Vector256.Load(source + 12 * stride), d23 = Vector256.Load(source + 13 * stride), d24 = Vector256.Load(source + 14 * stride);
        V d30 = Vector256.Load(source + 15 * stride), d31 = Vector256.Load(source + 16 * stride), d32 = Vector256.Load(source + 17 * stride), d33 = Vector256.Load(source + 18 * stride), d34 = Vector256.Load(source + 19 * stride);
        V d40 = Vector256.Load(source + 20 * stride), d41 = Vector256.Load(source + 21 * stride), d42 = Vector256.Load(source + 22 * stride), d43 = Vector256.Load(source + 23 * stride), d44 = Vector256.Load(source + 24 * stride);
        DataAdjoint(ref d00, ref d10, ref d20, ref d30, ref d40);
        DataAdjoint(ref d01, ref d11, ref d21, ref d31, ref d41);
        DataAdjoint(ref d02, ref d12, ref d22, ref d32, ref d42);
        DataAdjoint(ref d03, ref d13, ref d23, ref d33, ref d43);
        DataAdjoint(ref d04, ref d14, ref d24, ref d34, ref d44);
        DataAdjoint(ref d00, ref d01, ref d02, ref d03, ref d04);
        DataAdjoint(ref d10, ref d11, ref d12, ref d13, ref d14);
        DataAdjoint(ref d20, ref d21, ref d22, ref d23, ref d24);
        DataAdjoint(ref d30, ref d31, ref d32, ref d33, ref d34);
        DataAdjoint(ref d40, ref d41, ref d42, ref d43, ref d44);
        AddTo(target[0], offset, d00);
        AddTo(target[1], offset, d01);
        AddTo(target[2], offset, d02);
        AddTo(target[3], offset, d03);
        AddTo(target[4], offset, d04);
        AddTo(target[5], offset, d10);
        AddTo(target[6], offset, d11);
        AddTo(target[7], offset, d12);
        AddTo(target[8], offset, d13);
        AddTo(target[9], offset, d14);
        AddTo(target[10], offset, d20);
        AddTo(target[11], offset, d21);
        AddTo(target[12], offset, d22);
        AddTo(target[13], offset, d23);
        AddTo(target[14], offset, d24);
        AddTo(target[15], offset, d30);
        AddTo(target[16], offset, d31);
        AddTo(target[17], offset, d32);
        AddTo(target[18], offset, d33);
        AddTo(target[19], offset, d34);
        AddTo(target[20], offset, d40);
        AddTo(target[21], offset, d41);
        AddTo(target[22], offset, d42);
        AddTo(target[23], offset, d43);
        AddTo(target[24], offset, d44);
    }

    /// <summary>
    /// A tile's outputs A^T m A for m[p] = source + p * stride: output (i, j) stored at target[4 i + j] + offset (a null target
    /// drops the output: it lies past the edge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputTile(float* source, long stride, float** target, int offset)
    {
        V d00 = Vector256.Load(source + 0 * stride), d01 = Vector256.Load(source + 1 * stride), d02 = Vector256.Load(source + 2 * stride), d03 = Vector256.Load(source + 3 * stride), d04 = Vector256.Load(source + 4 * stride);
        V d10 = Vector256.Load(source + 5 * stride), d11 = Vector256.Load(source + 6 * stride), d12 = Vector256.Load(source + 7 * stride), d13 = Vector256.Load(source + 8 * stride), d14 = Vector256.Load(source + 9 * stride);
        V d20 = Vector256.Load(source + 10 * stride), d21 = Vector256.Load(source + 11 * stride), d22 = Vector256.Load(source + 12 * stride), d23 = Vector256.Load(source + 13 * stride), d24 = Vector256.Load(source + 14 * stride);
        V d30 = Vector256.Load(source + 15 * stride), d31 = Vector256.Load(source + 16 * stride), d32 = Vector256.Load(source + 17 * stride), d33 = Vector256.Load(source + 18 * stride), d34 = Vector256.Load(source + 19 * stride);
        V d40 = Vector256.Load(source + 20 * stride), d41 = Vector256.Load(source + 21 * stride), d42 = Vector256.Load(source + 22 * stride), d43 = Vector256.Load(source + 23 * stride), d44 = Vector256.Load(source + 24 * stride);
        Output(ref d00, ref d10, ref d20, ref d30, ref d40);
        Output(ref d01, ref d11, ref d21, ref d31, ref d41);
        Output(ref d02, ref d12, ref d22, ref d32, ref d42);
        Output(ref d03, ref d13, ref d23, ref d33, ref d43);
        Output(ref d04, ref d14, ref d24, ref d34, ref d44);
        Output(ref d00, ref d01, ref d02, ref d03, ref d04);
        Output(ref d10, ref d11, ref d12, ref d13, ref d14);
        Output(ref d20, ref d21, ref d22, ref d23, ref d24);
        Output(ref d30, ref d31, ref d32, ref d33, ref d34);
        if (target[0] != null) d00.Store(target[0] + offset);
        if (target[1] != null) d01.Store(target[1] + offset);
        if (target[2] != null) d02.Store(target[2] + offset);
        if (target[3] != null) d03.Store(target[3] + offset);
        if (target[4] != null) d10.Store(target[4] + offset);
        if (target[5] != null) d11.Store(target[5] + offset);
        if (target[6] != null) d12.Store(target[6] + offset);
        if (target[7] != null) d13.Store(target[7] + offset);
        if (target[8] != null) d20.Store(target[8] + offset);
        if (target[9] != null) d21.Store(target[9] + offset);
        if (target[10] != null) d22.Store(target[10] + offset);
        if (target[11] != null) d23.Store(target[11] + offset);
        if (target[12] != null) d30.Store(target[12] + offset);
        if (target[13] != null) d31.Store(target[13] + offset);
        if (target[14] != null) d32.Store(target[14] + offset);
        if (target[15] != null) d33.Store(target[15] + offset);
    }

    /// <summary>
    /// The transpose of <see cref="OutputTile"/>: m = A y A^T for y (i, j) = Vector256.Load(source[4 i + j] + offset), point p
    /// stored at destination + p * stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjointTile(float** source, int offset, float* destination, long stride)
    {
        V d00 = Vector256.Load(source[0] + offset), d01 = Vector256.Load(source[1] + offset), d02 = Vector256.Load(source[2] + offset), d03 = Vector256.Load(source[3] + offset), d04 = default;
        V d10 = Vector256.Load(source[4] + offset), d11 = Vector256.Load(source[5] + offset), d12 = Vector256.Load(source[6] + offset), d13 = Vector256.Load(source[7] + offset), d14 = default;
        V d20 = Vector256.Load(source[8] + offset), d21 = Vector256.Load(source[9] + offset), d22 = Vector256.Load(source[10] + offset), d23 = Vector256.Load(source[11] + offset), d24 = default;
        V d30 = Vector256.Load(source[12] + offset), d31 = Vector256.Load(source[13] + offset), d32 = Vector256.Load(source[14] + offset), d33 = Vector256.Load(source[15] + offset), d34 = default;
        V d40 = default, d41 = default, d42 = default, d43 = default, d44 = default;
        OutputAdjoint(ref d00, ref d01, ref d02, ref d03, ref d04);
        OutputAdjoint(ref d10, ref d11, ref d12, ref d13, ref d14);
        OutputAdjoint(ref d20, ref d21, ref d22, ref d23, ref d24);
        OutputAdjoint(ref d30, ref d31, ref d32, ref d33, ref d34);
        OutputAdjoint(ref d00, ref d10, ref d20, ref d30, ref d40);
        OutputAdjoint(ref d01, ref d11, ref d21, ref d31, ref d41);
        OutputAdjoint(ref d02, ref d12, ref d22, ref d32, ref d42);
        OutputAdjoint(ref d03, ref d13, ref d23, ref d33, ref d43);
        OutputAdjoint(ref d04, ref d14, ref d24, ref d34, ref d44);
        d00.Store(destination + 0 * stride); d01.Store(destination + 1 * stride); d02.Store(destination + 2 * stride); d03.Store(destination + 3 * stride); d04.Store(destination + 4 * stride);
        d10.Store(destination + 5 * stride); d11.Store(destination + 6 * stride); d12.Store(destination + 7 * stride); d13.Store(destination + 8 * stride); d14.Store(destination + 9 * stride);
        d20.Store(destination + 10 * stride); d21.Store(destination + 11 * stride); d22.Store(destination + 12 * stride); d23.Store(destination + 13 * stride); d24.Store(destination + 14 * stride);
        d30.Store(destination + 15 * stride); d31.Store(destination + 16 * stride); d32.Store(destination + 17 * stride); d33.Store(destination + 18 * stride); d34.Store(destination + 19 * stride);
        d40.Store(destination + 20 * stride); d41.Store(destination + 21 * stride); d42.Store(destination + 22 * stride); d43.Store(destination + 23 * stride); d44.Store(destination + 24 * stride);
    }

    /// <summary>
    /// A phase's transformed filter G g G^T from its 2 x 2 taps g[a, b] = <paramref name="g00"/> .. <paramref name="g11"/>, point p
    /// stored at destination + p * stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterTile(V g00, V g01, V g10, V g11, float* destination, long stride)
    {
        Filter(g00, g10, out V c00, out V c10, out V c20, out V c30, out V c40);
        Filter(g01, g11, out V c01, out V c11, out V c21, out V c31, out V c41);
        Filter(c00, c01, out V u00, out V u01, out V u02, out V u03, out V u04);
        Filter(c10, c11, out V u10, out V u11, out V u12, out V u13, out V u14);
        Filter(c20, c21, out V u20, out V u21, out V u22, out V u23, out V u24);
        Filter(c30, c31, out V u30, out V u31, out V u32, out V u33, out V u34);
        Filter(c40, c41, out V u40, out V u41, out V u42, out V u43, out V u44);
        u00.Store(destination + 0 * stride); u01.Store(destination + 1 * stride); u02.Store(destination + 2 * stride); u03.Store(destination + 3 * stride); u04.Store(destination + 4 * stride);
        u10.Store(destination + 5 * stride); u11.Store(destination + 6 * stride); u12.Store(destination + 7 * stride); u13.Store(destination + 8 * stride); u14.Store(destination + 9 * stride);
        u20.Store(destination + 10 * stride); u21.Store(destination + 11 * stride); u22.Store(destination + 12 * stride); u23.Store(destination + 13 * stride); u24.Store(destination + 14 * stride);
        u30.Store(destination + 15 * stride); u31.Store(destination + 16 * stride); u32.Store(destination + 17 * stride); u33.Store(destination + 18 * stride); u34.Store(destination + 19 * stride);
        u40.Store(destination + 20 * stride); u41.Store(destination + 21 * stride); u42.Store(destination + 22 * stride); u43.Store(destination + 23 * stride); u44.Store(destination + 24 * stride);
    }

    /// <summary>The transpose of <see cref="FilterTile"/>: the 2 x 2 taps G^T u G for u[p] = source + p * stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterAdjointTile(float* source, long stride, out V g00, out V g01, out V g10, out V g11)
    {
        FilterAdjoint(Vector256.Load(source + 0 * stride), Vector256.Load(source + 1 * stride), Vector256.Load(source + 2 * stride), Vector256.Load(source + 3 * stride), Vector256.Load(source + 4 * stride), out V r00, out V r01);
        FilterAdjoint(Vector256.Load(source + 5 * stride), Vector256.Load(source + 6 * stride), Vector256.Load(source + 7 * stride), Vector256.Load(source + 8 * stride), Vector256.Load(source + 9 * stride), out V r10, out V r11);
        FilterAdjoint(Vector256.Load(source + 10 * stride), Vector256.Load(source + 11 * stride), Vector256.Load(source + 12 * stride), Vector256.Load(source + 13 * stride), Vector256.Load(source + 14 * stride), out V r20, out V r21);
        FilterAdjoint(Vector256.Load(source + 15 * stride), Vector256.Load(source + 16 * stride), Vector256.Load(source + 17 * stride), Vector256.Load(source + 18 * stride), Vector256.Load(source + 19 * stride), out V r30, out V r31);
        FilterAdjoint(Vector256.Load(source + 20 * stride), Vector256.Load(source + 21 * stride), Vector256.Load(source + 22 * stride), Vector256.Load(source + 23 * stride), Vector256.Load(source + 24 * stride), out V r40, out V r41);
        FilterAdjoint(r00, r10, r20, r30, r40, out g00, out g10);
        FilterAdjoint(r01, r11, r21, r31, r41, out g01, out g11);
    }
}
