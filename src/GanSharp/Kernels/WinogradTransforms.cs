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
    private static void LoadRow(float** points, int first, int offset, out V a, out V b, out V c, out V d, out V e)
    {
        a = Vector256.Load(points[first] + offset); b = Vector256.Load(points[first + 1] + offset); c = Vector256.Load(points[first + 2] + offset);
        d = Vector256.Load(points[first + 3] + offset); e = Vector256.Load(points[first + 4] + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRow(float* source, long stride, int first, out V a, out V b, out V c, out V d, out V e)
    {
        float* s = source + first * stride;
        a = Vector256.Load(s); b = Vector256.Load(s + stride); c = Vector256.Load(s + 2 * stride);
        d = Vector256.Load(s + 3 * stride); e = Vector256.Load(s + 4 * stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* destination, long stride, int first, V a, V b, V c, V d, V e)
    {
        float* s = destination + first * stride;
        a.Store(s); b.Store(s + stride); c.Store(s + 2 * stride); d.Store(s + 3 * stride); e.Store(s + 4 * stride);
    }

    /// <summary>Adds a row of five points into points[first..first + 4] + offset (null: dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float** points, int first, int offset, V a, V b, V c, V d, V e)
    {
        AddTo(points[first], offset, a); AddTo(points[first + 1], offset, b); AddTo(points[first + 2], offset, c);
        AddTo(points[first + 3], offset, d); AddTo(points[first + 4], offset, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* target, int offset, V v)
    {
        if (target == null) return;
        float* at = target + offset;
        (Vector256.Load(at) + v).Store(at);
    }

    /// <summary>Stores a row of four outputs at points[first..first + 3] + offset (null: dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOutputs(float** points, int first, int offset, V a, V b, V c, V d)
    {
        if (points[first] != null) a.Store(points[first] + offset);
        if (points[first + 1] != null) b.Store(points[first + 1] + offset);
        if (points[first + 2] != null) c.Store(points[first + 2] + offset);
        if (points[first + 3] != null) d.Store(points[first + 3] + offset);
    }

    /// <summary>Loads a row of four outputs from points[first..first + 3] + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadOutputs(float** points, int first, int offset, out V a, out V b, out V c, out V d)
    {
        a = Vector256.Load(points[first] + offset); b = Vector256.Load(points[first + 1] + offset);
        c = Vector256.Load(points[first + 2] + offset); d = Vector256.Load(points[first + 3] + offset);
    }

    // ---- Tiles (5 x 5 points, row-major) ----

    /// <summary>
    /// A tile's transformed data B^T d B: d[p] = Vector256.Load(source[p] + offset) for its 25 points (row-major), the result's
    /// point p stored at destination + p * stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DataTile(float** source, int offset, float* destination, long stride)
    {
        LoadRow(source, 0, offset, out V d00, out V d01, out V d02, out V d03, out V d04);
        LoadRow(source, 5, offset, out V d10, out V d11, out V d12, out V d13, out V d14);
        LoadRow(source, 10, offset, out V d20, out V d21, out V d22, out V d23, out V d24);
        LoadRow(source, 15, offset, out V d30, out V d31, out V d32, out V d33, out V d34);
        LoadRow(source, 20, offset, out V d40, out V d41, out V d42, out V d43, out V d44);
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
        StoreRow(destination, stride, 0, d00, d01, d02, d03, d04);
        StoreRow(destination, stride, 5, d10, d11, d12, d13, d14);
        StoreRow(destination, stride, 10, d20, d21, d22, d23, d24);
        StoreRow(destination, stride, 15, d30, d31, d32, d33, d34);
        StoreRow(destination, stride, 20, d40, d41, d42, d43, d44);
    }

    /// <summary>
    /// The transpose of <see cref="DataTile"/>: d = B v B^T for v[p] = source + p * stride, each point added into
    /// target[p] + offset (a null target drops the point: it lies in the padding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DataAdjointTile(float* source, long stride, float** target, int offset)
    {
        LoadRow(source, stride, 0, out V d00, out V d01, out V d02, out V d03, out V d04);
        LoadRow(source, stride, 5, out V d10, out V d11, out V d12, out V d13, out V d14);
        LoadRow(source, stride, 10, out V d20, out V d21, out V d22, out V d23, out V d24);
        LoadRow(source, stride, 15, out V d30, out V d31, out V d32, out V d33, out V d34);
        LoadRow(source, stride, 20, out V d40, out V d41, out V d42, out V d43, out V d44);
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
        AddRow(target, 0, offset, d00, d01, d02, d03, d04);
        AddRow(target, 5, offset, d10, d11, d12, d13, d14);
        AddRow(target, 10, offset, d20, d21, d22, d23, d24);
        AddRow(target, 15, offset, d30, d31, d32, d33, d34);
        AddRow(target, 20, offset, d40, d41, d42, d43, d44);
    }

    /// <summary>
    /// A tile's outputs A^T m A for m[p] = source + p * stride: output (i, j) stored at target[4 i + j] + offset (a null target
    /// drops the output: it lies past the edge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputTile(float* source, long stride, float** target, int offset)
    {
        LoadRow(source, stride, 0, out V d00, out V d01, out V d02, out V d03, out V d04);
        LoadRow(source, stride, 5, out V d10, out V d11, out V d12, out V d13, out V d14);
        LoadRow(source, stride, 10, out V d20, out V d21, out V d22, out V d23, out V d24);
        LoadRow(source, stride, 15, out V d30, out V d31, out V d32, out V d33, out V d34);
        LoadRow(source, stride, 20, out V d40, out V d41, out V d42, out V d43, out V d44);
        Output(ref d00, ref d10, ref d20, ref d30, ref d40);
        Output(ref d01, ref d11, ref d21, ref d31, ref d41);
        Output(ref d02, ref d12, ref d22, ref d32, ref d42);
        Output(ref d03, ref d13, ref d23, ref d33, ref d43);
        Output(ref d04, ref d14, ref d24, ref d34, ref d44);
        Output(ref d00, ref d01, ref d02, ref d03, ref d04);
        Output(ref d10, ref d11, ref d12, ref d13, ref d14);
        Output(ref d20, ref d21, ref d22, ref d23, ref d24);
        Output(ref d30, ref d31, ref d32, ref d33, ref d34);
        StoreOutputs(target, 0, offset, d00, d01, d02, d03);
        StoreOutputs(target, 4, offset, d10, d11, d12, d13);
        StoreOutputs(target, 8, offset, d20, d21, d22, d23);
        StoreOutputs(target, 12, offset, d30, d31, d32, d33);
    }

    /// <summary>
    /// The transpose of <see cref="OutputTile"/>: m = A y A^T for y (i, j) = Vector256.Load(source[4 i + j] + offset), point p
    /// stored at destination + p * stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjointTile(float** source, int offset, float* destination, long stride)
    {
        LoadOutputs(source, 0, offset, out V d00, out V d01, out V d02, out V d03);
        LoadOutputs(source, 4, offset, out V d10, out V d11, out V d12, out V d13);
        LoadOutputs(source, 8, offset, out V d20, out V d21, out V d22, out V d23);
        LoadOutputs(source, 12, offset, out V d30, out V d31, out V d32, out V d33);
        V d04 = default, d14 = default, d24 = default, d34 = default, d40 = default, d41 = default, d42 = default, d43 = default, d44 = default;
        OutputAdjoint(ref d00, ref d01, ref d02, ref d03, ref d04);
        OutputAdjoint(ref d10, ref d11, ref d12, ref d13, ref d14);
        OutputAdjoint(ref d20, ref d21, ref d22, ref d23, ref d24);
        OutputAdjoint(ref d30, ref d31, ref d32, ref d33, ref d34);
        OutputAdjoint(ref d00, ref d10, ref d20, ref d30, ref d40);
        OutputAdjoint(ref d01, ref d11, ref d21, ref d31, ref d41);
        OutputAdjoint(ref d02, ref d12, ref d22, ref d32, ref d42);
        OutputAdjoint(ref d03, ref d13, ref d23, ref d33, ref d43);
        OutputAdjoint(ref d04, ref d14, ref d24, ref d34, ref d44);
        StoreRow(destination, stride, 0, d00, d01, d02, d03, d04);
        StoreRow(destination, stride, 5, d10, d11, d12, d13, d14);
        StoreRow(destination, stride, 10, d20, d21, d22, d23, d24);
        StoreRow(destination, stride, 15, d30, d31, d32, d33, d34);
        StoreRow(destination, stride, 20, d40, d41, d42, d43, d44);
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
        Filter(c00, c01, out V d00, out V d01, out V d02, out V d03, out V d04);
        Filter(c10, c11, out V d10, out V d11, out V d12, out V d13, out V d14);
        Filter(c20, c21, out V d20, out V d21, out V d22, out V d23, out V d24);
        Filter(c30, c31, out V d30, out V d31, out V d32, out V d33, out V d34);
        Filter(c40, c41, out V d40, out V d41, out V d42, out V d43, out V d44);
        StoreRow(destination, stride, 0, d00, d01, d02, d03, d04);
        StoreRow(destination, stride, 5, d10, d11, d12, d13, d14);
        StoreRow(destination, stride, 10, d20, d21, d22, d23, d24);
        StoreRow(destination, stride, 15, d30, d31, d32, d33, d34);
        StoreRow(destination, stride, 20, d40, d41, d42, d43, d44);
    }

    /// <summary>The transpose of <see cref="FilterTile"/>: the 2 x 2 taps G^T u G for u[p] = source + p * stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterAdjointTile(float* source, long stride, out V g00, out V g01, out V g10, out V g11)
    {
        LoadRow(source, stride, 0, out V d00, out V d01, out V d02, out V d03, out V d04);
        LoadRow(source, stride, 5, out V d10, out V d11, out V d12, out V d13, out V d14);
        LoadRow(source, stride, 10, out V d20, out V d21, out V d22, out V d23, out V d24);
        LoadRow(source, stride, 15, out V d30, out V d31, out V d32, out V d33, out V d34);
        LoadRow(source, stride, 20, out V d40, out V d41, out V d42, out V d43, out V d44);
        FilterAdjoint(d00, d01, d02, d03, d04, out V r00, out V r01);
        FilterAdjoint(d10, d11, d12, d13, d14, out V r10, out V r11);
        FilterAdjoint(d20, d21, d22, d23, d24, out V r20, out V r21);
        FilterAdjoint(d30, d31, d32, d33, d34, out V r30, out V r31);
        FilterAdjoint(d40, d41, d42, d43, d44, out V r40, out V r41);
        FilterAdjoint(r00, r10, r20, r30, r40, out g00, out g10);
        FilterAdjoint(r01, r11, r21, r31, r41, out g01, out g11);
    }

}
