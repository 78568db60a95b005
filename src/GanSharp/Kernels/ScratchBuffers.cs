using System.Runtime.InteropServices;

namespace GanSharp.Kernels;

/// <summary>
/// Scratch buffers for kernels (GEMM packing, convolution chunks): a few slots of 64-byte aligned
/// native memory, grown, never shrunk, lent to one caller at a time from a small lock-free pool,
/// so a steady stream of calls allocates nothing.
/// </summary>
/// <remarks>
/// A pool rather than [ThreadStatic]: concurrent callers (e.g. test classes running in parallel)
/// still never share a buffer, and the hot path touches no thread-static storage, which the
/// runtime may reallocate on the calling thread when other threads load new types. A kernel that
/// calls another (a convolution chunk calling GEMM) rents a second set. Buffers the pool has no
/// room for are dropped; the finalizer frees their memory.
/// </remarks>
internal sealed unsafe class ScratchBuffers
{
    public const int Slots = 4;

    // Room for every set in use at once: a kernel nests up to three (a convolution, its chunk, the chunk's
    // GEMM) on each thread, and a set dropped here is allocated again by the next caller. Filled up front
    // (the sets are small; their memory comes with the first Get): a warm caller then never allocates
    // just because other threads happen to hold more sets than ever before.
    private static readonly ScratchBuffers?[] s_pool = NewPool(8 * Environment.ProcessorCount + 8);

    private static ScratchBuffers?[] NewPool(int size)
    {
        var pool = new ScratchBuffers?[size];
        for (int i = 0; i < size; i++) pool[i] = new ScratchBuffers();
        return pool;
    }

    private readonly nint[] _buffers = new nint[Slots];
    private readonly nuint[] _floats = new nuint[Slots];

    /// <summary>Takes a set of buffers from the pool (or makes one); give it back with <see cref="Return"/>.</summary>
    public static ScratchBuffers Rent()
    {
        for (int i = 0; i < s_pool.Length; i++)
        {
            ScratchBuffers? buffers = Interlocked.Exchange(ref s_pool[i], null);
            if (buffers != null) return buffers;
        }
        return new ScratchBuffers();
    }

    public static void Return(ScratchBuffers buffers)
    {
        for (int i = 0; i < s_pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref s_pool[i], buffers, null) == null) return;
        }
    }

    /// <summary>Slot <paramref name="slot"/> (0..<see cref="Slots"/> - 1) with room for at least <paramref name="floats"/> floats; its old contents are not kept when it grows.</summary>
    public float* Get(int slot, nuint floats)
    {
        if (floats <= _floats[slot]) return (float*)_buffers[slot];
        nuint grown = Math.Max(floats, _floats[slot] + _floats[slot] / 2);
        NativeMemory.AlignedFree((void*)_buffers[slot]);
        _buffers[slot] = 0;
        _floats[slot] = 0;
        _buffers[slot] = (nint)NativeMemory.AlignedAlloc(grown * sizeof(float), 64);
        _floats[slot] = grown;
        return (float*)_buffers[slot];
    }

    ~ScratchBuffers()
    {
        foreach (nint buffer in _buffers) NativeMemory.AlignedFree((void*)buffer);
    }
}
