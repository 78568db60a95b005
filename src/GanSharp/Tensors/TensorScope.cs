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
            if (t._ownsStorage)
            {
                if (!pool.FreeArrays.TryGetValue(t._storage.Length, out var stack))
                    pool.FreeArrays[t._storage.Length] = stack = new Stack<float[]>();
                stack.Push(t._storage);
            }
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
        pool.Live.Add(t);
        return t;
    }

    /// <summary>A tensor object without storage of its own (a view), pooled when a scope is open.</summary>
    internal static Tensor RentView()
    {
        var pool = _pool;
        if (pool == null || pool.Depth == 0) return new Tensor();
        var t = pool.FreeTensors.Count > 0 ? pool.FreeTensors.Pop() : new Tensor();
        t._released = false;
        t._pooled = true;
        pool.Live.Add(t);
        return t;
    }
}
