using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// Single-precision matrix multiply with a fused epilogue: C = act(alpha * op(A) * op(B) + beta * C + bias).
/// </summary>
/// <remarks>
/// <para>
/// All matrices are row-major; lda/ldb/ldc are row strides in elements. op(A) is m x k: A itself
/// (m rows of lda) or, with transA, the transpose of a k x m matrix (k rows of lda). Likewise
/// op(B) is k x n: B (k rows of ldb) or, with transB, the transpose of n x k (n rows of ldb) -
/// which is how a Linear layer's weight [out, in] is stored. bias has n entries (one per column
/// of C) or is null. C must not overlap A, B or bias.
/// </para>
/// <para>
/// Algorithm (GotoBLAS-style, see <see cref="GemmBlocking"/>): blocks of K (≤ 384) and M (≤ 144)
/// are packed into 6-row panels of A, which stay in L2; B is packed into 16-column strips, which
/// stay in L1; a 6x16 FMA micro-kernel keeps the C tile in 12 registers. Beta is applied with the
/// first K block, bias with the last (in the same store) and the activation right after, on the
/// tile just written. A right-hand operand used many times (a Linear weight) can be packed once
/// with <see cref="PackedB"/>.
/// </para>
/// <para>
/// Threads: up to <see cref="ComputeThreads.Count"/>, splitting C into column (or row) ranges at
/// tile boundaries; every element of C is computed by the same sequence of operations whatever
/// the split, so results are bit-identical for any thread count and from call to call.
/// beta == 0 never reads C (NaN in C is ignored); alpha == 0 or k == 0 does not read A or B.
/// No managed allocation in steady state.
/// </para>
/// <para>
/// Methods with hot loops are marked AggressiveOptimization: compiled fully optimised on first
/// use, so a GEMM runs at full speed from its first call, with no tier-0 code or on-stack
/// replacement in the middle of a training step.
/// </para>
/// </remarks>
public static unsafe class Gemm
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    /// <summary>Below this many multiply-adds (m*n*k, about 3 us on one core) one thread is as fast as two.</summary>
    internal const long ParallelThreshold = 1 << 17;

    /// <summary>Test hook: calls made from this thread use the portable scalar micro-kernel even where FMA is available.</summary>
    [ThreadStatic] internal static bool ForceScalarKernel;

    /// <summary>Test hook: calls made from this thread keep to the AVX2 6x16 micro-kernel even where AVX-512 is available.</summary>
    [ThreadStatic] internal static bool ForceNarrowKernel;

    /// <summary>C = act(alpha * op(A) * op(B) + beta * C + bias), on raw pointers (see the class remarks).</summary>
    /// <param name="transA">op(A) = A^T: A is stored k x m.</param>
    /// <param name="transB">op(B) = B^T: B is stored n x k.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension; 0 gives C = act(beta * C + bias).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A: ≥ k, or ≥ m with transA.</param>
    /// <param name="b">B, row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B: ≥ n, or ≥ k with transB.</param>
    /// <param name="beta">Scale of the old C; 0 means C is write-only.</param>
    /// <param name="c">C, m x n, row stride <paramref name="ldc"/> ≥ n.</param>
    /// <param name="ldc">Row stride of C.</param>
    /// <param name="bias">n values added to every row, or null.</param>
    /// <param name="act">Activation applied last.</param>
    /// <param name="slope">Negative slope of <see cref="Activation.LeakyRelu"/>.</param>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc,
        float* bias = null, Activation act = Activation.Identity, float slope = 0.01f)
    {
        ValidateShape(transA, transB, m, n, k, lda, ldb, ldc, act);
        if (m == 0 || n == 0) return;
        if (c == null) throw new ArgumentNullException(nameof(c));
        if (k == 0 || alpha == 0f)
        {
            ScaleOnly(m, n, beta, c, ldc, bias, act, slope);
            return;
        }
        if (a == null) throw new ArgumentNullException(nameof(a));
        if (b == null) throw new ArgumentNullException(nameof(b));
        if (!ForceScalarKernel && GemmSmall.Applies(m, n, k))
        {
            GemmSmall.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, act, slope);
            return;
        }

        var problem = new GemmProblem
        {
            TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, Bias = bias, Act = act, Slope = slope,
        };
        Run(ref problem);
    }

    /// <summary>
    /// Span overload of <see cref="Sgemm(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, float*, Activation, float)"/>:
    /// checks that every span covers the rows its shape and stride need (ArgumentException otherwise).
    /// An empty <paramref name="bias"/> means no bias.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc,
        ReadOnlySpan<float> bias = default, Activation act = Activation.Identity, float slope = 0.01f)
    {
        ValidateShape(transA, transB, m, n, k, lda, ldb, ldc, act);
        bool usesAB = m > 0 && n > 0 && k > 0 && alpha != 0f;
        long needA = usesAB ? (transA ? Needed(k, m, lda) : Needed(m, k, lda)) : 0;
        long needB = usesAB ? (transB ? Needed(n, k, ldb) : Needed(k, n, ldb)) : 0;
        long needC = Needed(m, n, ldc);
        if (a.Length < needA || b.Length < needB || c.Length < needC)
        {
            throw new ArgumentException(
                $"Sgemm(m={m}, n={n}, k={k}, transA={transA}, transB={transB}, lda={lda}, ldb={ldb}, ldc={ldc}) " +
                $"needs a.Length >= {needA}, b.Length >= {needB}, c.Length >= {needC}; " +
                $"got a.Length={a.Length}, b.Length={b.Length}, c.Length={c.Length}.");
        }
        CheckBias(bias, m, n, k);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc,
                bias.IsEmpty ? null : pbias, act, slope);
        }
    }

    /// <summary>
    /// C = act(alpha * op(A) * B + beta * C + bias) with B packed beforehand (see <see cref="PackedB"/>);
    /// n = b.N, k = b.K. Bit-identical to the unpacked overload on the same op(B), except for shapes
    /// small enough that the unpacked call runs direct loops instead (see GemmSmall).
    /// </summary>
    public static void Sgemm(bool transA, int m, float alpha, float* a, int lda, PackedB b, float beta, float* c, int ldc,
        float* bias = null, Activation act = Activation.Identity, float slope = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.N, k = b.K;
        ValidateShape(transA, false, m, n, k, lda, Math.Max(1, n), ldc, act);
        if (m == 0 || n == 0) return;
        if (c == null) throw new ArgumentNullException(nameof(c));
        if (k == 0 || alpha == 0f)
        {
            ScaleOnly(m, n, beta, c, ldc, bias, act, slope);
            return;
        }
        if (a == null) throw new ArgumentNullException(nameof(a));

        var problem = new GemmProblem
        {
            TransA = transA, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            A = a, Lda = lda, PackedB = b.Data, Ldb = n, C = c, Ldc = ldc, Bias = bias, Act = act, Slope = slope,
        };
        Run(ref problem);
        GC.KeepAlive(b); // its native memory must outlive the call
    }

    /// <summary>
    /// C = op(A) B + beta C with B (k x n) already in <see cref="PackedB"/>'s layout at <paramref name="packedB"/> (packed by
    /// <see cref="PackedB.PackInto"/>, or written straight in that layout): for kernels that pack an operand once and
    /// multiply by it many times within one call. No checks; m, n, k > 0.
    /// </summary>
    internal static void SgemmPrepacked(bool transA, int m, int n, int k, float* a, int lda, float* packedB, float* c, int ldc, float beta = 0f)
    {
        var problem = new GemmProblem
        {
            TransA = transA, M = m, N = n, K = k, Alpha = 1f, Beta = beta,
            A = a, Lda = lda, PackedB = packedB, Ldb = n, C = c, Ldc = ldc, Act = Activation.Identity,
        };
        Run(ref problem);
    }

    /// <summary>
    /// C = op(A) B (+ beta C) with A already in the <see cref="PackedA"/> layout and B in the <see cref="PackedB"/>
    /// layout (both m x k and k x n as Gemm blocks K); no checks.
    /// </summary>
    internal static void SgemmPrepackedAB(int m, int n, int k, float* packedA, float* packedB, float* c, int ldc, float beta = 0f)
    {
        var problem = PrepackedProblem(m, n, k, packedA, packedB, c, ldc, beta);
        Run(ref problem);
    }

    /// <summary>
    /// The problem of <see cref="SgemmPrepackedAB"/>, its micro-kernels chosen for the calling thread (test hooks included),
    /// for a kernel that runs its strips itself with <see cref="RunStrips"/>.
    /// </summary>
    internal static GemmProblem PrepackedProblem(int m, int n, int k, float* packedA, float* packedB, float* c, int ldc, float beta)
    {
        var problem = new GemmProblem
        {
            M = m, N = n, K = k, Alpha = 1f, Beta = beta, PackedA = packedA, Lda = k, PackedB = packedB, Ldb = n, C = c, Ldc = ldc,
            Act = Activation.Identity,
        };
        ChooseKernels(ref problem);
        return problem;
    }

    /// <summary>The 16-column strips [firstStrip, firstStrip + strips) of a problem's C (all rows), on the calling thread.</summary>
    internal static void RunStrips(ref GemmProblem p, int firstStrip, int strips)
    {
        int j0 = firstStrip * NR, j1 = Math.Min(p.N, (firstStrip + strips) * NR);
        if (j1 <= j0) return;
        float* b = p.PackedB != null ? null : p.TransB ? p.B + j0 * p.Ldb : p.B + j0;
        GemmBlocking.Multiply(ref p, p.M, j1 - j0, p.A, b, p.C + j0, p.Bias == null ? null : p.Bias + j0, 0, firstStrip);
    }

    /// <summary>Span overload of the <see cref="PackedB"/> Sgemm; checks span lengths like the unpacked one.</summary>
    public static void Sgemm(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda, PackedB b, float beta, Span<float> c, int ldc,
        ReadOnlySpan<float> bias = default, Activation act = Activation.Identity, float slope = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.N, k = b.K;
        ValidateShape(transA, false, m, n, k, lda, Math.Max(1, n), ldc, act);
        bool usesA = m > 0 && n > 0 && k > 0 && alpha != 0f;
        long needA = usesA ? (transA ? Needed(k, m, lda) : Needed(m, k, lda)) : 0;
        long needC = Needed(m, n, ldc);
        if (a.Length < needA || c.Length < needC)
        {
            throw new ArgumentException(
                $"Sgemm(m={m}, n={n}, k={k}, transA={transA}, packed B, lda={lda}, ldc={ldc}) " +
                $"needs a.Length >= {needA}, c.Length >= {needC}; got a.Length={a.Length}, c.Length={c.Length}.");
        }
        CheckBias(bias, m, n, k);
        fixed (float* pa = a)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            Sgemm(transA, m, alpha, pa, lda, b, beta, pc, ldc, bias.IsEmpty ? null : pbias, act, slope);
        }
    }

    /// <summary>Splits the problem between threads (or not) and runs it.</summary>
    private static void Run(ref GemmProblem problem)
    {
        ChooseKernels(ref problem);
        int parts = ChooseParts(problem.M, problem.N, problem.K, out problem.SplitN);
        fixed (GemmProblem* context = &problem)
        {
            if (parts == 1) RunPart(0, 1, context);
            else ComputeThreads.Run(parts, &RunPart, context);
        }
    }

    private static void ChooseKernels(ref GemmProblem problem)
    {
        problem.ScalarKernel = ForceScalarKernel || !Fma.IsSupported;
        problem.Wide = !problem.ScalarKernel && !ForceNarrowKernel && Avx512F.IsSupported;
    }

    private static void CheckBias(ReadOnlySpan<float> bias, int m, int n, int k)
    {
        if (!bias.IsEmpty && bias.Length < n)
            throw new ArgumentException($"bias has length {bias.Length}; it must be empty or have n={n} entries (m={m}, k={k}).", nameof(bias));
    }

    /// <summary>Elements a rows x cols matrix with row stride ld spans (0 when empty).</summary>
    private static long Needed(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    private static void ValidateShape(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc, Activation act)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Sgemm dimensions must be non-negative: m={m}, n={n}, k={k}.");
        if (lda < Math.Max(1, transA ? m : k) || ldb < Math.Max(1, transB ? k : n) || ldc < Math.Max(1, n))
        {
            throw new ArgumentOutOfRangeException(nameof(lda),
                $"Sgemm strides too small for m={m}, n={n}, k={k}, transA={transA}, transB={transB}: lda={lda}, ldb={ldb}, ldc={ldc}.");
        }
        if ((uint)act > (uint)Activation.Tanh) throw new ArgumentOutOfRangeException(nameof(act));
    }

    /// <summary>How many parts to split into, and along which dimension (N preferred: each part then reads a disjoint slice of B).</summary>
    private static int ChooseParts(int m, int n, int k, out bool splitN)
    {
        splitN = true;
        int threads = ComputeThreads.Count;
        // Busy: called from inside another kernel's part (or racing another caller), so the parts
        // would run one after another here, each packing its own copy of A or B.
        if (threads == 1 || (long)m * n * k < ParallelThreshold || ComputeThreads.IsBusy) return 1;
        int strips = (n + NR - 1) / NR;
        int panels = (m + MR - 1) / MR;
        if (strips >= 2 * threads) return threads;
        if (panels >= 2 * threads)
        {
            splitN = false;
            return threads;
        }
        return Math.Max(1, Math.Min(threads, strips));
    }

    /// <summary>Part <paramref name="part"/>: a range of whole 16-column strips (or 6-row panels) of C.</summary>
    private static void RunPart(int part, int parts, void* context)
    {
        ref GemmProblem p = ref *(GemmProblem*)context;
        if (p.SplitN)
        {
            int strips = (p.N + NR - 1) / NR;
            int s0 = (int)((long)strips * part / parts), s1 = (int)((long)strips * (part + 1) / parts);
            RunStrips(ref p, s0, s1 - s0);
        }
        else
        {
            int panels = (p.M + MR - 1) / MR;
            int i0 = (int)((long)panels * part / parts) * MR;
            int i1 = Math.Min(p.M, (int)((long)panels * (part + 1) / parts) * MR);
            if (i1 <= i0) return;
            float* a = p.TransA ? p.A + i0 : p.A + i0 * p.Lda;
            GemmBlocking.Multiply(ref p, i1 - i0, p.N, a, p.B, p.C + i0 * p.Ldc, p.Bias, i0, 0);
        }
    }

    /// <summary>k == 0 or alpha == 0: C = act(beta * C + bias) without touching A or B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleOnly(int m, int n, float beta, float* c, nint ldc, float* bias, Activation act, float slope)
    {
        var vbeta = Vector256.Create(beta);
        for (int i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            if (beta == 0f)
            {
                new Span<float>(row, n).Clear();
            }
            else if (beta != 1f)
            {
                int j = 0;
                for (; j + 8 <= n; j += 8) Vector256.Store(vbeta * Vector256.Load(row + j), row + j);
                for (; j < n; j++) row[j] *= beta;
            }
            if (bias != null || act != Activation.Identity) GemmEpilogue.Row(row, n, bias, act, slope);
        }
    }
}
