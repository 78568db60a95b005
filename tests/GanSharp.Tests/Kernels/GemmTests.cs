using System.Runtime.InteropServices;
using GanSharp.Kernels;

namespace GanSharp.Tests.Kernels;

/// <summary>
/// Sgemm against a naive reference accumulated in double.
/// Tolerance, per element: |got - ref| &lt;= 1e-6 * (sqrt(k) + 1) * scale + 1e-6 * |ref|, where
/// scale = |alpha| * sum_p |a_ip * b_pj| + |beta * c_ij| + |bias_j| (the size of what was summed, so
/// cancellation does not make the bound meaningless) and the second term covers the activation's own
/// rounding (a few ulp).
/// </summary>
/// <remarks>In the "ComputeThreads" collection, where tests that change ComputeThreads.Count run one at a time.</remarks>
[Collection("ComputeThreads")]
public sealed unsafe class GemmTests
{
    private static readonly (bool TransA, bool TransB)[] AllTransposes = [(false, false), (false, true), (true, false), (true, true)];

    public static TheoryData<bool, bool, int, int, int> TransposesAndShapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        (int M, int N, int K)[] shapes =
        [
            (1, 1, 1), (7, 13, 5), (7, 13, 1), (1, 37, 1), (1, 100, 3), (37, 1, 23), (6, 16, 8),
            (13, 33, 17), (12, 32, 9), (50, 70, 45), (100, 130, 391), (20, 20, 1200),
            (128, 32, 32), (130, 65, 31), (3, 1200, 1000), (1000, 2, 900), (5000, 1, 100), // GemmSmall: full 4x32 tiles, ragged tiles, matrix-vector
        ];
        foreach (var (ta, tb) in AllTransposes)
            foreach (var (m, n, k) in shapes) data.Add(ta, tb, m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(TransposesAndShapes))]
    public void MatchesReference_ForEveryTransposeAndShape(bool transA, bool transB, int m, int n, int k)
    {
        var p = new Case(transA, transB, m, n, k, seed: m * 1000 + n * 10 + k);
        p.RunAndCheck(alpha: 1f, beta: 0f);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void MatchesReference_AcrossAllBlockBoundaries(bool transA, bool transB)
    {
        // m > 144 (two M blocks), n > 4096 (two N blocks), k > 384 (two K blocks), none a multiple of a tile.
        // To stay fast, check every row but only the columns near the ends and every 5th column.
        var p = new Case(transA, transB, 145, 4100, 390, seed: 5);
        p.RunAndCheck(alpha: 1f, beta: 0.5f, withBias: true, act: Activation.Tanh,
            checkColumn: j => j < 40 || j >= 4100 - 40 || j % 5 == 0);
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 1f)]
    [InlineData(-0.5f, 0.25f)]
    [InlineData(2f, -1f)]
    [InlineData(0f, 0.5f)]
    public void AlphaAndBeta(float alpha, float beta)
    {
        foreach (var (ta, tb) in AllTransposes)
        {
            new Case(ta, tb, 19, 37, 29, seed: 11).RunAndCheck(alpha, beta);
            new Case(ta, tb, 20, 40, 800, seed: 12).RunAndCheck(alpha, beta); // beta with several K blocks
        }
    }

    [Fact]
    public void BetaZero_IgnoresNaNInC()
    {
        foreach (var (ta, tb) in AllTransposes)
        {
            var p = new Case(ta, tb, 13, 35, 21, seed: 3);
            p.C0.AsSpan().Fill(float.NaN);
            p.RunAndCheck(alpha: 1.5f, beta: 0f, withBias: true, act: Activation.Sigmoid);
        }
        var empty = new Case(false, false, 5, 9, 0, seed: 4);
        empty.C0.AsSpan().Fill(float.NaN);
        empty.RunAndCheck(alpha: 1f, beta: 0f, withBias: true);
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void BiasAndActivation(Activation act)
    {
        foreach (var (ta, tb) in AllTransposes)
        {
            foreach (bool withBias in new[] { false, true })
            {
                new Case(ta, tb, 23, 45, 31, seed: 21).RunAndCheck(1f, 0f, withBias, act, slope: 0.1f);
                new Case(ta, tb, 25, 50, 700, seed: 22).RunAndCheck(0.5f, 0.75f, withBias, act, slope: 0.2f);
            }
        }
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void Activation_OverAWideRangeOfInputs(Activation act)
    {
        // C = act(x * 1) for x from -60 to 60, tiny values, zeros and NaN; k = 1 makes C exactly x before the activation.
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 1e-4f, -3e-4f, 0.6249f, 0.625f, -0.6251f, 88f, -88f, 200f, -200f };
        for (float x = -60f; x <= 60f; x += 0.173f) xs.Add(x);
        int m = xs.Count;
        float[] a = xs.ToArray();
        float[] b = [1f];
        float[] c = new float[m];
        Gemm.Sgemm(false, false, m, 1, 1, 1f, a, 1, b, 1, 0f, c, 1, act: act, slope: 0.3f);
        for (int i = 0; i < m; i++)
        {
            double expected = Case.Activate(xs[i], act, 0.3f);
            Assert.True(Math.Abs(c[i] - expected) <= 3e-7 * Math.Abs(expected) + 1e-37,
                $"{act}({xs[i]:R}) = {c[i]:R}, expected {expected:R}");
        }

        float[] nanA = [float.NaN];
        float[] nanC = new float[1];
        Gemm.Sgemm(false, false, 1, 1, 1, 1f, nanA, 1, b, 1, 0f, nanC, 1, act: act);
        Assert.True(float.IsNaN(nanC[0]), $"{act}(NaN) should be NaN");
    }

    [Fact]
    public void StridesLargerThanTheLogicalWidth_TouchOnlyTheSubmatrix()
    {
        foreach (var (ta, tb) in AllTransposes)
        {
            var p = new Case(ta, tb, 17, 41, 33, seed: 31, padA: 5, padB: 7, padC: 3);
            p.RunAndCheck(alpha: 1f, beta: 0.5f, withBias: true, act: Activation.Relu);
            var big = new Case(ta, tb, 40, 200, 400, seed: 32, padA: 64 - 40 % 64, padB: 1, padC: 9);
            big.RunAndCheck(alpha: 1f, beta: 1f);
        }
    }

    [Fact]
    public void KZeroAndAlphaZero_ScaleC_AndNeverReadAOrB()
    {
        foreach (var (ta, tb) in AllTransposes)
        {
            new Case(ta, tb, 7, 19, 0, seed: 41).RunAndCheck(alpha: 1f, beta: 0.5f, withBias: true, act: Activation.LeakyRelu);
            var p = new Case(ta, tb, 7, 19, 5, seed: 42);
            p.A.AsSpan().Fill(float.NaN);
            p.B.AsSpan().Fill(float.PositiveInfinity);
            p.RunAndCheck(alpha: 0f, beta: 2f, withBias: true, act: Activation.Tanh);
        }
    }

    [Fact]
    public void EmptyOutputs_DoNothing()
    {
        float[] c = [42f];
        Gemm.Sgemm(false, false, 0, 1, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[3], 1, 0f, c, 1);
        Gemm.Sgemm(false, false, 1, 0, 3, 1f, new float[3], 3, ReadOnlySpan<float>.Empty, 1, 0f, c, 1);
        Assert.Equal(42f, c[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public unsafe void TilesCutByTheLastRow_WriteNothingBelowC(bool scalarKernel)
    {
        // 31 rows: the last 6-row panel has one row; whatever lies after C in memory must stay untouched.
        const int m = 31, n = 32, k = 300, guard = 6 * 32; // k * n over 8K floats: the blocked path, not GemmSmall
        var rng = new Random(7);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var c = new float[m * n + guard];
        c.AsSpan(m * n).Fill(-7f);
        Gemm.ForceScalarKernel = scalarKernel;
        try
        {
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 1f, c.AsSpan(0, m * n), n);
        }
        finally
        {
            Gemm.ForceScalarKernel = false;
        }
        Assert.All(c.AsSpan(m * n).ToArray(), v => Assert.Equal(-7f, v));
        for (int j = 0; j < n; j++)
        {
            double expected = 0;
            for (int p = 0; p < k; p++) expected += (double)a[(m - 1) * k + p] * b[p * n + j];
            Assert.True(Math.Abs(expected - c[(m - 1) * n + j]) <= 1e-5 * expected, $"column {j}: {c[(m - 1) * n + j]} vs {expected}");
        }
    }

    [Fact]
    public void ScalarFallbackKernel_MatchesReference()
    {
        Gemm.ForceScalarKernel = true;
        try
        {
            foreach (var (ta, tb) in AllTransposes)
            {
                new Case(ta, tb, 13, 35, 21, seed: 51).RunAndCheck(1f, 0f, withBias: true, act: Activation.Sigmoid);
                new Case(ta, tb, 30, 40, 500, seed: 52).RunAndCheck(-1f, 0.5f);
                new Case(ta, tb, 31, 32, 17, seed: 53).RunAndCheck(1f, 0.5f, withBias: true);
            }
        }
        finally
        {
            Gemm.ForceScalarKernel = false;
        }
    }

    [Theory]
    [InlineData(false, false, 150, 100, 1025)] // pairs of strips, a lone last strip, a partial panel, three K blocks
    [InlineData(true, false, 31, 64, 300)]     // two pairs of strips; 12-row pairs of panels plus a 1-row panel
    [InlineData(false, true, 12, 48, 7)]       // a single pair of panels
    [InlineData(true, true, 7, 40, 500)]       // fewer rows than a pair of panels; a partial last strip
    public void WideKernel_GivesTheSameBitsAsTheNarrowOne(bool transA, bool transB, int m, int n, int k)
    {
        // Where AVX-512 is missing both runs take the 6x16 kernel and this only checks determinism.
        var c = new Case(transA, transB, m, n, k, seed: m + n + k, padC: 3);
        foreach (var (alpha, beta, bias, act) in new[] { (1f, 0f, false, Activation.Identity), (-0.5f, 0.75f, true, Activation.LeakyRelu), (1f, 1f, true, Activation.Tanh) })
        {
            float[] wide = c.Run(alpha, beta, bias, act, 0.2f);
            Gemm.ForceNarrowKernel = true;
            try
            {
                Assert.Equal(c.Run(alpha, beta, bias, act, 0.2f), wide);
            }
            finally
            {
                Gemm.ForceNarrowKernel = false;
            }
        }
        c.RunAndCheck(1f, 0.5f, withBias: true, act: Activation.Sigmoid);
    }

    public static TheoryData<bool, bool, int, int, int> ThreadedShapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        foreach (var (ta, tb) in AllTransposes)
        {
            data.Add(ta, tb, 100, 300, 500); // split along N
            data.Add(ta, tb, 300, 20, 400);  // too few columns: split along M
            data.Add(ta, tb, 61, 1030, 97);  // ragged edges on both splits
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadedShapes))]
    public void OneAndTwoThreads_AreBitIdentical_AndRepeatable(bool transA, bool transB, int m, int n, int k)
    {
        if (Environment.ProcessorCount < 2) return;
        var p = new Case(transA, transB, m, n, k, seed: 61);
        float[] one = ThreadCount.With(1, () => p.Run(0.75f, 0.5f, withBias: true, Activation.Tanh, 0.01f));
        var (two, twoAgain) = ThreadCount.With(2, () =>
            (p.Run(0.75f, 0.5f, withBias: true, Activation.Tanh, 0.01f), p.Run(0.75f, 0.5f, withBias: true, Activation.Tanh, 0.01f)));
        AssertBitIdentical(one, two);
        AssertBitIdentical(two, twoAgain);
        p.Check(two, 0.75f, 0.5f, withBias: true, Activation.Tanh, 0.01f);
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheSameBitsAsAlone()
    {
        // Two threads calling at once: one gets the worker pool, the other runs its parts inline;
        // packing buffers are never shared.
        var cases = new[] { new Case(false, true, 60, 500, 300, seed: 101), new Case(true, false, 70, 400, 350, seed: 102) };
        float[][] alone = cases.Select(p => p.Run(1f, 0.5f, withBias: true, Activation.Relu, 0.01f)).ToArray();
        Parallel.For(0, 2, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
                AssertBitIdentical(alone[i], cases[i].Run(1f, 0.5f, withBias: true, Activation.Relu, 0.01f));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SteadyState_AllocatesNothing(int threads)
    {
        if (threads > Environment.ProcessorCount) return;
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            foreach (var (ta, tb) in AllTransposes)
            {
                var p = new Case(ta, tb, 100, 333, 450, seed: 71);
                fixed (float* a = p.A, b = p.B, c = p.C0, bias = p.Bias)
                {
                    var (pa, pb, pc, pbias) = ((nint)a, (nint)b, (nint)c, (nint)bias);
                    void Call() => Gemm.Sgemm(ta, tb, p.M, p.N, p.K, 1f, (float*)pa, p.Lda, (float*)pb, p.Ldb, 0.5f,
                        (float*)pc, p.Ldc, (float*)pbias, Activation.Sigmoid);
                    Assert.Equal(0, AllocatedBytesInSteadyState(Call));
                }
                float[] spanC = new float[p.C0.Length];
                Assert.Equal(0, AllocatedBytesInSteadyState(
                    () => Gemm.Sgemm(ta, tb, p.M, p.N, p.K, 1f, p.A, p.Lda, p.B, p.Ldb, 0f, spanC, p.Ldc, p.Bias)));
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    /// <summary>Bytes allocated on this thread by two calls after a warm-up call (JIT, packing buffers, worker thread).</summary>
    internal static long AllocatedBytesInSteadyState(Action call)
    {
        call();
        for (int attempt = 0; ; attempt++)
        {
            TimeSpan pauses = GC.GetTotalPauseDuration();
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            call();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // A GC started by another thread (the test runner's; a background GC need not even
            // bump CollectionCount) retires this thread's allocation context, and the counter can
            // then include its unused part, a few KB: measure again.
            if (GC.GetTotalPauseDuration() == pauses || attempt == 4) return allocated;
        }
    }

    public static TheoryData<bool, bool, int, int, int> PackedShapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        foreach (var (ta, tb) in AllTransposes)
        {
            data.Add(ta, tb, 7, 13, 3000);   // odd edges; op(B) too big for the direct loops (GemmSmall), so packing applies
            data.Add(ta, tb, 100, 300, 500);
            data.Add(ta, tb, 13, 4100, 390); // two N blocks, two K blocks
            data.Add(ta, tb, 300, 20, 400);  // split along M
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PackedShapes))]
    public void PackedB_IsBitIdenticalToUnpacked_ForOneAndTwoThreads(bool transA, bool transB, int m, int n, int k)
    {
        var p = new Case(transA, transB, m, n, k, seed: 81);
        int saved = ComputeThreads.Count;
        try
        {
            using var packed = new PackedB(k, n);
            packed.Pack(transB, p.B, p.Ldb);
            foreach (int threads in new[] { 1, Math.Min(2, Environment.ProcessorCount) })
            {
                ComputeThreads.Count = threads;
                float[] expected = p.Run(0.5f, 0.25f, withBias: true, Activation.LeakyRelu, 0.1f);
                float[] actual = (float[])p.C0.Clone();
                Gemm.Sgemm(transA, m, 0.5f, p.A, p.Lda, packed, 0.25f, actual, p.Ldc, p.Bias, Activation.LeakyRelu, 0.1f);
                AssertBitIdentical(expected, actual);
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void PackedB_RepackPicksUpNewValues_AndDisposeIsFinal()
    {
        var first = new Case(false, true, 9, 40, 30, seed: 91);
        var second = new Case(false, true, 9, 40, 30, seed: 92);
        var packed = new PackedB(30, 40);
        float[] c = new float[first.C0.Length];

        packed.Pack(true, first.B, first.Ldb);
        Gemm.Sgemm(false, 9, 1f, first.A, first.Lda, packed, 0f, c, first.Ldc);
        first.Check(c, 1f, 0f, false, Activation.Identity, 0f);

        packed.Pack(true, second.B, second.Ldb); // e.g. after an optimizer step
        Gemm.Sgemm(false, 9, 1f, first.A, first.Lda, packed, 0f, c, first.Ldc);
        var mixed = new Case(false, true, 9, 40, 30, seed: 91);
        second.B.CopyTo(mixed.B, 0);
        mixed.Check(c, 1f, 0f, false, Activation.Identity, 0f);

        Assert.Throws<ArgumentException>(() => packed.Pack(true, first.B.AsSpan(0, 10), first.Ldb));
        packed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Sgemm(false, 9, 1f, first.A, first.Lda, packed, 0f, c, first.Ldc));
        Assert.Throws<ObjectDisposedException>(() => packed.Pack(true, first.B, first.Ldb));
    }

    [Fact]
    public void PackedB_SteadyState_AllocatesNothing()
    {
        var p = new Case(false, true, 100, 333, 450, seed: 93);
        using var packed = new PackedB(p.K, p.N);
        packed.Pack(true, p.B, p.Ldb);
        float[] c = new float[p.C0.Length];
        Assert.Equal(0, AllocatedBytesInSteadyState(() =>
        {
            Gemm.Sgemm(false, p.M, 1f, p.A, p.Lda, packed, 0f, c, p.Ldc, p.Bias, Activation.Relu);
            packed.Pack(true, p.B, p.Ldb);
        }));
    }

    [Fact]
    public void SpanOverload_RejectsShortSpans_NamingTheShape()
    {
        float[] a = new float[6], b = new float[12], c = new float[8];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c.AsSpan(0, 7), 4));
        Assert.Contains("m=2", e.Message);
        Assert.Contains("n=4", e.Message);
        Assert.Contains("k=3", e.Message);
        Assert.Contains("c.Length=7", e.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a.AsSpan(0, 5), 3, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 4, 3, 1f, a, 3, b.AsSpan(0, 11), 3, 0f, c, 4));
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4, bias: new float[3]));
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 2, b, 4, 0f, c, 4)); // lda < k
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Sgemm(false, false, -1, 4, 3, 1f, a, 3, b, 4, 0f, c, 4));
        Gemm.Sgemm(false, false, 2, 4, 3, 1f, a, 3, b, 4, 0f, c, 4); // exact lengths are fine
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var e = MemoryMarshal.Cast<float, int>(expected);
        var a = MemoryMarshal.Cast<float, int>(actual);
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] != a[i]) Assert.Fail($"element {i}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    /// <summary>Random operands for one shape, stored with optional row padding, and the reference check.</summary>
    private sealed class Case
    {
        public readonly bool TransA, TransB;
        public readonly int M, N, K, Lda, Ldb, Ldc;
        public readonly float[] A, B, C0, Bias;

        public Case(bool transA, bool transB, int m, int n, int k, int seed, int padA = 0, int padB = 0, int padC = 0)
        {
            (TransA, TransB, M, N, K) = (transA, transB, m, n, k);
            var rng = new Random(seed);
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            Lda = Math.Max(1, aCols + padA);
            Ldb = Math.Max(1, bCols + padB);
            Ldc = Math.Max(1, n + padC);
            A = Random(rng, aRows * Lda);
            B = Random(rng, bRows * Ldb);
            C0 = Random(rng, m * Ldc);
            Bias = Random(rng, n);
        }

        private static float[] Random(Random rng, int count)
        {
            var x = new float[count];
            for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            return x;
        }

        private float OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
        private float OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

        public float[] Run(float alpha, float beta, bool withBias, Activation act, float slope)
        {
            float[] c = (float[])C0.Clone();
            Gemm.Sgemm(TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, c, Ldc,
                withBias ? Bias : ReadOnlySpan<float>.Empty, act, slope);
            return c;
        }

        public void RunAndCheck(float alpha, float beta, bool withBias = false, Activation act = Activation.Identity,
            float slope = 0.01f, Func<int, bool>? checkColumn = null)
            => Check(Run(alpha, beta, withBias, act, slope), alpha, beta, withBias, act, slope, checkColumn);

        public void Check(float[] c, float alpha, float beta, bool withBias, Activation act, float slope, Func<int, bool>? checkColumn = null)
        {
            // op(A) by rows and op(B) by columns, in double, so the reference is a plain dot product.
            var opA = new double[M * K];
            var opBt = new double[N * K];
            for (int i = 0; i < M; i++)
                for (int p = 0; p < K; p++) opA[i * K + p] = OpA(i, p);
            for (int j = 0; j < N; j++)
                for (int p = 0; p < K; p++) opBt[j * K + p] = OpB(p, j);

            for (int i = 0; i < M; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    if (checkColumn != null && !checkColumn(j)) continue;
                    double sum = 0, magnitude = 0;
                    if (alpha != 0)
                    {
                        var aRow = opA.AsSpan(i * K, K);
                        var bColumn = opBt.AsSpan(j * K, K);
                        for (int p = 0; p < aRow.Length; p++)
                        {
                            double prod = aRow[p] * bColumn[p];
                            sum += prod;
                            magnitude += Math.Abs(prod);
                        }
                    }
                    double old = beta == 0 ? 0 : (double)beta * C0[i * Ldc + j];
                    double bias = withBias ? Bias[j] : 0;
                    double pre = alpha * sum + old + bias;
                    double expected = Activate(pre, act, slope);
                    double scale = Math.Abs(alpha) * magnitude + Math.Abs(old) + Math.Abs(bias);
                    double tolerance = 1e-6 * (Math.Sqrt(K) + 1) * scale + 1e-6 * Math.Abs(expected) + 1e-30;
                    float got = c[i * Ldc + j];
                    if (!(Math.Abs(got - expected) <= tolerance))
                    {
                        Assert.Fail($"{Describe(alpha, beta, withBias, act)}: C[{i},{j}] = {got:R}, expected {expected:R} (tolerance {tolerance:G3})");
                    }
                }
                // Padding between rows of C is never written.
                for (int j = N; j < Ldc && i * Ldc + j < c.Length; j++)
                {
                    if (BitConverter.SingleToInt32Bits(c[i * Ldc + j]) != BitConverter.SingleToInt32Bits(C0[i * Ldc + j]))
                        Assert.Fail($"{Describe(alpha, beta, withBias, act)}: padding C[{i},{j}] was written");
                }
            }
        }

        private string Describe(float alpha, float beta, bool withBias, Activation act) =>
            $"m={M} n={N} k={K} transA={TransA} transB={TransB} lda={Lda} ldb={Ldb} ldc={Ldc} alpha={alpha} beta={beta} bias={withBias} act={act}";

        public static double Activate(double x, Activation act, float slope) => act switch
        {
            Activation.Identity => x,
            Activation.Relu => x < 0 ? 0 : x,
            Activation.LeakyRelu => x < 0 ? slope * x : x,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
            Activation.Tanh => Math.Tanh(x),
            _ => throw new ArgumentOutOfRangeException(nameof(act)),
        };
    }
}
