using System.Runtime.InteropServices;

namespace GanSharp.Kernels;

/// <summary>
/// Packing buffers (64-byte aligned native memory, grown, never shrunk) lent to one part of a
/// GEMM at a time from a small lock-free pool, so a steady stream of calls allocates nothing.
/// </summary>
/// <remarks>
/// A pool rather than [ThreadStatic]: concurrent callers (e.g. test classes running in parallel)
/// still never share a buffer, and the hot path touches no thread-static storage, which the
/// runtime may reallocate on the calling thread when other threads load new types. Buffers the
/// pool has no room for are dropped; the finalizer frees their memory.
/// </remarks>
internal sealed unsafe class GemmBuffers
{
    private static readonly GemmBuffers?[] s_pool = new GemmBuffers?[2 * Environment.ProcessorCount];

    private float* _a;
    private nuint _aFloats;
    private float* _b;
    private nuint _bFloats;

    /// <summary>Takes a set of buffers from the pool (or makes one); give it back with <see cref="Return"/>.</summary>
    public static GemmBuffers Rent()
    {
        for (int i = 0; i < s_pool.Length; i++)
        {
            GemmBuffers? buffers = Interlocked.Exchange(ref s_pool[i], null);
            if (buffers != null) return buffers;
        }
        return new GemmBuffers();
    }

    public static void Return(GemmBuffers buffers)
    {
        for (int i = 0; i < s_pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref s_pool[i], buffers, null) == null) return;
        }
    }

    /// <summary>Buffer for packed A of at least <paramref name="floats"/> floats.</summary>
    public float* A(nuint floats) => Ensure(ref _a, ref _aFloats, floats);

    /// <summary>Buffer for packed B of at least <paramref name="floats"/> floats.</summary>
    public float* B(nuint floats) => Ensure(ref _b, ref _bFloats, floats);

    private static float* Ensure(ref float* buffer, ref nuint capacity, nuint floats)
    {
        if (floats <= capacity) return buffer;
        nuint grown = Math.Max(floats, capacity + capacity / 2);
        NativeMemory.AlignedFree(buffer);
        buffer = null;
        capacity = 0;
        buffer = (float*)NativeMemory.AlignedAlloc(grown * sizeof(float), 64);
        capacity = grown;
        return buffer;
    }

    ~GemmBuffers()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
    }
}
