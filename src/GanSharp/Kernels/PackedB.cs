using System.Runtime.InteropServices;

namespace GanSharp.Kernels;

/// <summary>
/// The right-hand operand op(B) (k x n) of <see cref="Gemm"/>, packed once into the layout the
/// micro-kernel reads, for reuse across calls: a Linear layer multiplies by the same weight W^T
/// for every batch between two optimizer steps. Call <see cref="Pack(bool, float*, int)"/> again
/// after the weight changes. Results are bit-identical to the unpacked call.
/// </summary>
/// <remarks>
/// Layout: for each K block (as <see cref="Gemm"/> blocks K), the ceil(n / 16) strips of
/// kc x 16 floats, columns past n zero. Native, 64-byte aligned memory, freed by
/// <see cref="Dispose"/> (or the finalizer). Not thread-safe while being packed.
/// </remarks>
public sealed unsafe class PackedB : IDisposable
{
    private float* _data;
    private readonly long _bytes;

    /// <summary>Allocates room for a k x n op(B). No data is packed yet.</summary>
    public PackedB(int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        K = k;
        N = n;
        _bytes = Floats(k, n) * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc((nuint)_bytes, 64);
        GC.AddMemoryPressure(_bytes); // the GC cannot see native memory otherwise
    }

    /// <summary>Rows of op(B) (the inner dimension of the product).</summary>
    public int K { get; }

    /// <summary>Columns of op(B) (columns of C).</summary>
    public int N { get; }

    /// <summary>
    /// Packs op(B) from <paramref name="b"/>: B is k x n with row stride ldb ≥ n, or with
    /// <paramref name="transB"/> n x k with ldb ≥ k (a Linear weight [out = n, in = k]).
    /// </summary>
    public void Pack(bool transB, float* b, int ldb)
    {
        ObjectDisposedException.ThrowIf(_data == null, this);
        if (ldb < Math.Max(1, transB ? K : N))
            throw new ArgumentOutOfRangeException(nameof(ldb), $"ldb={ldb} is too small for k={K}, n={N}, transB={transB}.");
        if (K == 0 || N == 0) return;
        if (b == null) throw new ArgumentNullException(nameof(b));
        PackInto(transB, b, ldb, K, N, _data);
    }

    /// <summary>Floats the packed layout of a k x n op(B) takes, slack included.</summary>
    internal static long Floats(int k, int n) => (long)k * GemmBlocking.RoundUp(n, GemmBlocking.NR) + GemmPacking.Slack;

    /// <summary>Packs op(B) (k x n, see <see cref="Pack(bool, float*, int)"/>) into <paramref name="dst"/>, which holds <see cref="Floats"/> floats.</summary>
    internal static void PackInto(bool transB, float* b, nint ldb, int k, int n, float* dst)
    {
        int kcStd = GemmBlocking.KcFor(k);
        int strips = (n + GemmBlocking.NR - 1) / GemmBlocking.NR;
        for (int pc = 0; pc < k; pc += kcStd)
        {
            int kc = Math.Min(kcStd, k - pc);
            float* source = transB ? b + pc : b + pc * ldb; // op(B)[pc, 0]
            GemmPacking.PackB(transB, source, ldb, kc, n, Strip(dst, strips, pc, kc, 0));
        }
    }

    /// <summary>Span overload of <see cref="Pack(bool, float*, int)"/>; checks that <paramref name="b"/> is long enough.</summary>
    public void Pack(bool transB, ReadOnlySpan<float> b, int ldb)
    {
        long need = K == 0 || N == 0 ? 0 : transB ? (long)(N - 1) * ldb + K : (long)(K - 1) * ldb + N;
        if (b.Length < need)
            throw new ArgumentException($"b has length {b.Length}; k={K}, n={N}, ldb={ldb}, transB={transB} need {need}.", nameof(b));
        fixed (float* pb = b) Pack(transB, pb, ldb);
    }

    /// <summary>The packed data, for <see cref="Gemm"/>; throws once disposed.</summary>
    internal float* Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data == null, this);
            return _data;
        }
    }

    /// <summary>Where strip <paramref name="strip"/> of the K block starting at row <paramref name="pc"/> (kc rows) lies.</summary>
    internal static float* Strip(float* data, int strips, int pc, int kc, int strip) =>
        data + (nint)pc * strips * GemmBlocking.NR + (nint)strip * kc * GemmBlocking.NR;

    /// <summary>
    /// Where element (row, col) of a k x n op(B) lies in this layout, for a kernel that writes it straight there (a row's
    /// columns col..col + 15 - col % 16 follow it).
    /// </summary>
    internal static float* Element(float* data, int k, int n, int row, int col)
    {
        int kcStd = GemmBlocking.KcFor(k), pc = row / kcStd * kcStd;
        return Strip(data, (n + GemmBlocking.NR - 1) / GemmBlocking.NR, pc, Math.Min(kcStd, k - pc), col / GemmBlocking.NR)
            + (nint)(row - pc) * GemmBlocking.NR + col % GemmBlocking.NR;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~PackedB() => Free();

    private void Free()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
        GC.RemoveMemoryPressure(_bytes);
    }
}
