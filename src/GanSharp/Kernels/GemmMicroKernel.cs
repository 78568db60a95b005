using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// The 6x16 register-blocked inner kernel: C[6x16] (=|+=) alpha * A_panel * B_strip.
/// </summary>
/// <remarks>
/// Operands: <c>a</c> is a packed A panel (for each k, 6 consecutive floats: rows 0..5);
/// <c>b</c> is a packed B strip (for each k, 16 consecutive floats: columns 0..15). The store is
/// C = alpha * acc when beta == 0 (C is not read, so NaN in C is ignored), and
/// C = fma(alpha, acc, beta * C) otherwise; later K blocks pass beta = 1 to accumulate.
/// The last K block also passes <c>bias</c> (16 floats, or null), added in the same store.
/// Only the first <c>rows</c> (1..6) rows of C are read and written.
/// </remarks>
internal static unsafe class GemmMicroKernel
{
    /// <summary>AVX2 + FMA: 12 Vector256 accumulators, 2 B vectors and 1 broadcast = 15 of the 16 ymm registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fma6x16(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias, int rows = 6)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> b0, b1, av;

        // Unrolled by 4: the single biggest win on the prototype (one core: 75 -> 85-94 GFLOPS).
        // DOTNET_JitDisasm shows no stack access in either loop, with VEX (16 registers) or EVEX.
        for (nint k4 = kc >> 2; k4 > 0; k4--)
        {
            b0 = Avx.LoadVector256(b); b1 = Avx.LoadVector256(b + 8);
            av = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 16); b1 = Avx.LoadVector256(b + 24);
            av = Vector256.Create(a[6]); c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[7]); c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[8]); c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[9]); c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[10]); c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[11]); c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 32); b1 = Avx.LoadVector256(b + 40);
            av = Vector256.Create(a[12]); c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[13]); c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[14]); c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[15]); c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[16]); c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[17]); c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);

            b0 = Avx.LoadVector256(b + 48); b1 = Avx.LoadVector256(b + 56);
            av = Vector256.Create(a[18]); c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[19]); c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[20]); c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[21]); c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[22]); c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[23]); c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 24;
            b += 64;
        }
        for (nint k = kc & 3; k > 0; k--)
        {
            b0 = Avx.LoadVector256(b); b1 = Avx.LoadVector256(b + 8);
            av = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(av, b0, c00); c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(av, b0, c10); c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(av, b0, c20); c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(av, b0, c30); c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(av, b0, c40); c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(av, b0, c50); c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        // Rows of the tile: C = alpha * acc (+ beta * C) (+ bias).
        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        bool readC = beta != 0f;
        bool addBias = bias != null;
        var bias0 = addBias ? Avx.LoadVector256(bias) : default;
        var bias1 = addBias ? Avx.LoadVector256(bias + 8) : default;
        StoreRow(c, c00, c01, va, vb, readC, addBias, bias0, bias1);
        if (rows == 6)
        {
            StoreRow(c + ldc, c10, c11, va, vb, readC, addBias, bias0, bias1);
            StoreRow(c + 2 * ldc, c20, c21, va, vb, readC, addBias, bias0, bias1);
            StoreRow(c + 3 * ldc, c30, c31, va, vb, readC, addBias, bias0, bias1);
            StoreRow(c + 4 * ldc, c40, c41, va, vb, readC, addBias, bias0, bias1);
            StoreRow(c + 5 * ldc, c50, c51, va, vb, readC, addBias, bias0, bias1);
            return;
        }
        // A tile cut by the last row of C: rows past it are computed (from A's zero padding) but not stored.
        if (rows > 1) StoreRow(c + ldc, c10, c11, va, vb, readC, addBias, bias0, bias1);
        if (rows > 2) StoreRow(c + 2 * ldc, c20, c21, va, vb, readC, addBias, bias0, bias1);
        if (rows > 3) StoreRow(c + 3 * ldc, c30, c31, va, vb, readC, addBias, bias0, bias1);
        if (rows > 4) StoreRow(c + 4 * ldc, c40, c41, va, vb, readC, addBias, bias0, bias1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> alpha, Vector256<float> beta,
        bool readC, bool addBias, Vector256<float> bias0, Vector256<float> bias1)
    {
        var v0 = readC ? Fma.MultiplyAdd(alpha, acc0, beta * Avx.LoadVector256(c)) : alpha * acc0;
        var v1 = readC ? Fma.MultiplyAdd(alpha, acc1, beta * Avx.LoadVector256(c + 8)) : alpha * acc1;
        if (addBias)
        {
            v0 += bias0;
            v1 += bias1;
        }
        Avx.Store(c, v0);
        Avx.Store(c + 8, v1);
    }

    /// <summary>
    /// AVX-512: a 12x32 tile from two consecutive 6-row A panels and two consecutive 16-column B strips, in
    /// their usual packed layouts (so nothing else changes). 24 Vector512 accumulators, 2 B vectors and a
    /// broadcast = 27 of the 32 zmm registers. Each broadcast feeds 32 columns instead of 16: on Zen 4 that
    /// is 1.2-1.3x the 6x16 kernel's throughput, in L1 and in the blocked loops alike. Every element of C
    /// gets the same fused multiply-adds, in the same order, as from <see cref="Fma6x16"/>, and the same store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fma12x32(nint kc, float* a0, float* a1, float* b0, float* b1, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Vector512<float> c0l = default, c0h = default;
        Vector512<float> c1l = default, c1h = default;
        Vector512<float> c2l = default, c2h = default;
        Vector512<float> c3l = default, c3h = default;
        Vector512<float> c4l = default, c4h = default;
        Vector512<float> c5l = default, c5h = default;
        Vector512<float> c6l = default, c6h = default;
        Vector512<float> c7l = default, c7h = default;
        Vector512<float> c8l = default, c8h = default;
        Vector512<float> c9l = default, c9h = default;
        Vector512<float> c10l = default, c10h = default;
        Vector512<float> c11l = default, c11h = default;
        Vector512<float> bl, bh, av;

        for (nint k2 = kc >> 1; k2 > 0; k2--)
        {
            bl = Vector512.Load(b0); bh = Vector512.Load(b1);
            av = Vector512.Create(a0[0]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a0[1]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a0[2]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a0[3]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a0[4]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a0[5]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
            av = Vector512.Create(a1[0]); c6l = Avx512F.FusedMultiplyAdd(av, bl, c6l); c6h = Avx512F.FusedMultiplyAdd(av, bh, c6h);
            av = Vector512.Create(a1[1]); c7l = Avx512F.FusedMultiplyAdd(av, bl, c7l); c7h = Avx512F.FusedMultiplyAdd(av, bh, c7h);
            av = Vector512.Create(a1[2]); c8l = Avx512F.FusedMultiplyAdd(av, bl, c8l); c8h = Avx512F.FusedMultiplyAdd(av, bh, c8h);
            av = Vector512.Create(a1[3]); c9l = Avx512F.FusedMultiplyAdd(av, bl, c9l); c9h = Avx512F.FusedMultiplyAdd(av, bh, c9h);
            av = Vector512.Create(a1[4]); c10l = Avx512F.FusedMultiplyAdd(av, bl, c10l); c10h = Avx512F.FusedMultiplyAdd(av, bh, c10h);
            av = Vector512.Create(a1[5]); c11l = Avx512F.FusedMultiplyAdd(av, bl, c11l); c11h = Avx512F.FusedMultiplyAdd(av, bh, c11h);

            bl = Vector512.Load(b0 + 16); bh = Vector512.Load(b1 + 16);
            av = Vector512.Create(a0[6]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a0[7]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a0[8]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a0[9]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a0[10]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a0[11]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
            av = Vector512.Create(a1[6]); c6l = Avx512F.FusedMultiplyAdd(av, bl, c6l); c6h = Avx512F.FusedMultiplyAdd(av, bh, c6h);
            av = Vector512.Create(a1[7]); c7l = Avx512F.FusedMultiplyAdd(av, bl, c7l); c7h = Avx512F.FusedMultiplyAdd(av, bh, c7h);
            av = Vector512.Create(a1[8]); c8l = Avx512F.FusedMultiplyAdd(av, bl, c8l); c8h = Avx512F.FusedMultiplyAdd(av, bh, c8h);
            av = Vector512.Create(a1[9]); c9l = Avx512F.FusedMultiplyAdd(av, bl, c9l); c9h = Avx512F.FusedMultiplyAdd(av, bh, c9h);
            av = Vector512.Create(a1[10]); c10l = Avx512F.FusedMultiplyAdd(av, bl, c10l); c10h = Avx512F.FusedMultiplyAdd(av, bh, c10h);
            av = Vector512.Create(a1[11]); c11l = Avx512F.FusedMultiplyAdd(av, bl, c11l); c11h = Avx512F.FusedMultiplyAdd(av, bh, c11h);
            a0 += 12; a1 += 12; b0 += 32; b1 += 32;
        }
        if ((kc & 1) != 0)
        {
            bl = Vector512.Load(b0); bh = Vector512.Load(b1);
            av = Vector512.Create(a0[0]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a0[1]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a0[2]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a0[3]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a0[4]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a0[5]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
            av = Vector512.Create(a1[0]); c6l = Avx512F.FusedMultiplyAdd(av, bl, c6l); c6h = Avx512F.FusedMultiplyAdd(av, bh, c6h);
            av = Vector512.Create(a1[1]); c7l = Avx512F.FusedMultiplyAdd(av, bl, c7l); c7h = Avx512F.FusedMultiplyAdd(av, bh, c7h);
            av = Vector512.Create(a1[2]); c8l = Avx512F.FusedMultiplyAdd(av, bl, c8l); c8h = Avx512F.FusedMultiplyAdd(av, bh, c8h);
            av = Vector512.Create(a1[3]); c9l = Avx512F.FusedMultiplyAdd(av, bl, c9l); c9h = Avx512F.FusedMultiplyAdd(av, bh, c9h);
            av = Vector512.Create(a1[4]); c10l = Avx512F.FusedMultiplyAdd(av, bl, c10l); c10h = Avx512F.FusedMultiplyAdd(av, bh, c10h);
            av = Vector512.Create(a1[5]); c11l = Avx512F.FusedMultiplyAdd(av, bl, c11l); c11h = Avx512F.FusedMultiplyAdd(av, bh, c11h);
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        bool readC = beta != 0f;
        bool addBias = bias != null;
        var biasl = addBias ? Vector512.Load(bias) : default;
        var biash = addBias ? Vector512.Load(bias + 16) : default;
        StoreRow(c, c0l, c0h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + ldc, c1l, c1h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 2 * ldc, c2l, c2h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 3 * ldc, c3l, c3h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 4 * ldc, c4l, c4h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 5 * ldc, c5l, c5h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 6 * ldc, c6l, c6h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 7 * ldc, c7l, c7h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 8 * ldc, c8l, c8h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 9 * ldc, c9l, c9h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 10 * ldc, c10l, c10h, va, vb, readC, addBias, biasl, biash);
        StoreRow(c + 11 * ldc, c11l, c11h, va, vb, readC, addBias, biasl, biash);
    }

    /// <summary>
    /// AVX-512: a 6x32 tile from one 6-row A panel and two 16-column B strips: the panels a pair of strips has
    /// left over for <see cref="Fma12x32"/>. Same operations per element and same store as <see cref="Fma6x16"/>;
    /// only the first <c>rows</c> rows of C are read and written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fma6x32(nint kc, float* a, float* b0, float* b1, float* c, nint ldc, float alpha, float beta, float* bias, int rows)
    {
        Vector512<float> c0l = default, c0h = default;
        Vector512<float> c1l = default, c1h = default;
        Vector512<float> c2l = default, c2h = default;
        Vector512<float> c3l = default, c3h = default;
        Vector512<float> c4l = default, c4h = default;
        Vector512<float> c5l = default, c5h = default;
        Vector512<float> bl, bh, av;
        for (nint k2 = kc >> 1; k2 > 0; k2--)
        {
            bl = Vector512.Load(b0); bh = Vector512.Load(b1);
            av = Vector512.Create(a[0]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a[1]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a[2]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a[3]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a[4]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a[5]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
            bl = Vector512.Load(b0 + 16); bh = Vector512.Load(b1 + 16);
            av = Vector512.Create(a[6]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a[7]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a[8]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a[9]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a[10]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a[11]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
            a += 12; b0 += 32; b1 += 32;
        }
        if ((kc & 1) != 0)
        {
            bl = Vector512.Load(b0); bh = Vector512.Load(b1);
            av = Vector512.Create(a[0]); c0l = Avx512F.FusedMultiplyAdd(av, bl, c0l); c0h = Avx512F.FusedMultiplyAdd(av, bh, c0h);
            av = Vector512.Create(a[1]); c1l = Avx512F.FusedMultiplyAdd(av, bl, c1l); c1h = Avx512F.FusedMultiplyAdd(av, bh, c1h);
            av = Vector512.Create(a[2]); c2l = Avx512F.FusedMultiplyAdd(av, bl, c2l); c2h = Avx512F.FusedMultiplyAdd(av, bh, c2h);
            av = Vector512.Create(a[3]); c3l = Avx512F.FusedMultiplyAdd(av, bl, c3l); c3h = Avx512F.FusedMultiplyAdd(av, bh, c3h);
            av = Vector512.Create(a[4]); c4l = Avx512F.FusedMultiplyAdd(av, bl, c4l); c4h = Avx512F.FusedMultiplyAdd(av, bh, c4h);
            av = Vector512.Create(a[5]); c5l = Avx512F.FusedMultiplyAdd(av, bl, c5l); c5h = Avx512F.FusedMultiplyAdd(av, bh, c5h);
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        bool readC = beta != 0f;
        bool addBias = bias != null;
        var biasl = addBias ? Vector512.Load(bias) : default;
        var biash = addBias ? Vector512.Load(bias + 16) : default;
        StoreRow(c, c0l, c0h, va, vb, readC, addBias, biasl, biash);
        if (rows > 1) StoreRow(c + ldc, c1l, c1h, va, vb, readC, addBias, biasl, biash);
        if (rows > 2) StoreRow(c + 2 * ldc, c2l, c2h, va, vb, readC, addBias, biasl, biash);
        if (rows > 3) StoreRow(c + 3 * ldc, c3l, c3h, va, vb, readC, addBias, biasl, biash);
        if (rows > 4) StoreRow(c + 4 * ldc, c4l, c4h, va, vb, readC, addBias, biasl, biash);
        if (rows > 5) StoreRow(c + 5 * ldc, c5l, c5h, va, vb, readC, addBias, biasl, biash);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> alpha, Vector512<float> beta,
        bool readC, bool addBias, Vector512<float> bias0, Vector512<float> bias1)
    {
        var v0 = readC ? Avx512F.FusedMultiplyAdd(alpha, acc0, beta * Vector512.Load(c)) : alpha * acc0;
        var v1 = readC ? Avx512F.FusedMultiplyAdd(alpha, acc1, beta * Vector512.Load(c + 16)) : alpha * acc1;
        if (addBias)
        {
            v0 += bias0;
            v1 += bias1;
        }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    /// <summary>Portable fallback with the same operands and store rule (separate multiply and add).</summary>
    public static void Scalar6x16(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias, int rows = 6)
    {
        float* acc = stackalloc float[GemmBlocking.MR * GemmBlocking.NR];
        new Span<float>(acc, GemmBlocking.MR * GemmBlocking.NR).Clear();
        for (nint p = 0; p < kc; p++, a += GemmBlocking.MR, b += GemmBlocking.NR)
        {
            for (int r = 0; r < GemmBlocking.MR; r++)
            {
                float ar = a[r];
                float* accRow = acc + r * GemmBlocking.NR;
                for (int j = 0; j < GemmBlocking.NR; j++) accRow[j] += ar * b[j];
            }
        }
        for (int r = 0; r < rows; r++, c += ldc)
        {
            float* accRow = acc + r * GemmBlocking.NR;
            for (int j = 0; j < GemmBlocking.NR; j++)
            {
                float v = beta == 0f ? alpha * accRow[j] : alpha * accRow[j] + beta * c[j];
                c[j] = bias != null ? v + bias[j] : v;
            }
        }
    }
}
