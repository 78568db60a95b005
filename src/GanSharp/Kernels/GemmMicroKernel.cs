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
