namespace GanSharp.Tensors;

/// <summary>
/// Pools the tensors created while a scope is open and recycles them when it closes, so a
/// training step run inside a scope allocates nothing once warm. Outside any scope tensors are
/// ordinary garbage-collected objects. Scopes nest; each thread has its own pool.
/// <code>using (TensorScope.Begin()) { var loss = ...; loss.Backward(); lossValue = loss.Item(); }</code>
/// Tensors that must outlive the scope (parameters, optimizer state) are created outside it.
/// </summary>
public static class TensorScope
{
    [ThreadStatic] private static Pool? _pool;

    private sealed class Pool
    {
        public readonly List<Tensor> Live = new(1024);
        public readonly Stack<int> Marks = new();
        public readonly Stack<Tensor> FreeTensors = new();
        public readonly Dictionary<int, Stack<float[]>> FreeArrays = new();
        public int Depth => Marks.Count;
        /// <summary>Storage rentals so far: a tensor's stamp tells whether it was made after a given moment.</summary>
        public long Rents;
    }

    /// <summary>Disposing the handle ends the scope it opened.</summary>
    public readonly struct Handle : IDisposable
    {
        private readonly int _depth;
        internal Handle(int depth) => _depth = depth;
        public void Dispose() => End(_depth);
    }

    public static Handle Begin()
    {
        var pool = _pool ??= new Pool();
        pool.Marks.Push(pool.Live.Count);
        return new Handle(pool.Depth);
    }

    /// <summary>True while a scope is open on this thread.</summary>
    public static bool IsActive => _pool is { Depth: > 0 };

    private static void End(int depth)
    {
        var pool = _pool;
        if (pool == null || pool.Depth != depth)
            throw new InvalidOperationException("TensorScope ended out of order: end inner scopes before outer ones.");
        int mark = pool.Marks.Pop();
        for (int i = pool.Live.Count - 1; i >= mark; i--)
        {
            var t = pool.Live[i];
            if (t._ownsStorage) ReturnStorage(pool, t._storage);
            t.ResetForPool();
            pool.FreeTensors.Push(t);
        }
        pool.Live.RemoveRange(mark, pool.Live.Count - mark);
    }

    /// <summary>A tensor object with storage of <paramref name="length"/> floats, pooled when a scope is open.</summary>
    internal static Tensor Rent(int length, bool zero, out bool pooled)
    {
        var pool = _pool;
        if (pool == null || pool.Depth == 0)
        {
            pooled = false;
            return new Tensor { _storage = zero ? new float[length] : GC.AllocateUninitializedArray<float>(length) };
        }
        pooled = true;
        var t = pool.FreeTensors.Count > 0 ? pool.FreeTensors.Pop() : new Tensor();
        t._released = false;
        if (pool.FreeArrays.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            t._storage = stack.Pop();
            if (zero) Array.Clear(t._storage);
        }
        else t._storage = zero ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        t._offset = 0;
        t._rentStamp = ++pool.Rents;
        pool.Live.Add(t);
        return t;
    }

    /// <summary>The rental count now; tensors rented later have a larger <see cref="Tensor._rentStamp"/> (0 outside any scope).</summary>
    internal static long RentStamp => _pool?.Rents ?? 0;

    /// <summary>
    /// Gives the storage of <paramref name="t"/>, a pooled tensor that owns it, back to the pool before its scope ends
    /// (the tensor reads as released from now on). The caller promises that nothing else refers to the storage.
    /// </summary>
    internal static void Recycle(Tensor t)
    {
        var pool = _pool;
        if (pool == null || !t._pooled || !t._ownsStorage || t._released) return;
        ReturnStorage(pool, t._storage);
        t._storage = [];
        t._ownsStorage = false;
        t._released = true;
    }

    private static void ReturnStorage(Pool pool, float[] storage)
    {
        if (!pool.FreeArrays.TryGetValue(storage.Length, out var stack))
            pool.FreeArrays[storage.Length] = stack = new Stack<float[]>();
        stack.Push(storage);
    }

    /// <summary>Arrays of <paramref name="length"/> floats waiting in this thread's pool (for tests).</summary>
    internal static int FreeArrays(int length) =>
        _pool != null && _pool.FreeArrays.TryGetValue(length, out var stack) ? stack.Count : 0;

    /// <summary>A tensor object without storage of its own (a view), pooled when a scope is open.</summary>
    internal static Tensor RentView()
    {
        var pool = _pool;
        if (pool == null || pool.Depth == 0) return new Tensor();
        var t = pool.FreeTensors.Count > 0 ? pool.FreeTensors.Pop() : new Tensor();
        t._released = false;
        t._pooled = true;
        t._rentStamp = 0; // a view rents no storage
        pool.Live.Add(t);
        return t;
    }
}
