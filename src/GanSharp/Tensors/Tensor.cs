using System.Runtime.CompilerServices;
using GanSharp.Autograd;

namespace GanSharp.Tensors;

/// <summary>
/// A float32 row-major tensor. Storage may be shared by views (reshape, transpose, detach).
/// Autograd state (the op that produced it and its inputs) lives in the tensor itself, so
/// recording a graph allocates nothing beyond the tensors (which a <see cref="TensorScope"/> pools).
/// </summary>
public partial class Tensor
{
    internal float[] _storage = [];
    internal int _offset;
    internal Shape _shape;
    internal Dims _strides;
    internal bool _ownsStorage;
    internal bool _pooled;
    internal bool _released;
    /// <summary>When a scope's pool rented this tensor's storage (see <see cref="TensorScope.RentStamp"/>).</summary>
    internal long _rentStamp;

    internal Tensor() { }

    public Shape Shape => _shape;
    public int Rank => _shape.Rank;
    public int Length => _shape.Length;
    public int Size(int axis) => _shape[axis];

    /// <summary>True when elements are laid out densely in row-major order.</summary>
    public bool IsContiguous
    {
        get
        {
            int expected = 1;
            for (int i = _shape.Rank - 1; i >= 0; i--)
            {
                if (_shape[i] != 1 && _strides[i] != expected) return false;
                expected *= _shape[i];
            }
            return true;
        }
    }

    internal int Stride(int axis) => _strides[axis];

    /// <summary>The elements of a contiguous tensor, writable in place (no autograd tracking).</summary>
    public Span<float> Span
    {
        get
        {
            CheckAlive();
            if (!IsContiguous) throw new InvalidOperationException($"Span needs a contiguous tensor; this {_shape} view is strided. Call Contiguous() first.");
            return _storage.AsSpan(_offset, Length);
        }
    }

    /// <summary>The storage array and offset of a contiguous tensor, for kernels.</summary>
    internal float[] Storage { get { CheckAlive(); return _storage; } }
    internal int Offset => _offset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckAlive()
    {
        if (_released) throw new ObjectDisposedException(nameof(Tensor), "This tensor belonged to a TensorScope that has ended; copy what you need (ToArray/Item) before the scope ends.");
    }

    // ---- creation ----

    internal static Tensor Allocate(in Shape shape, bool zero)
    {
        var t = TensorScope.Rent(shape.Length, zero, out bool pooled);
        t._shape = shape;
        t.SetContiguousStrides();
        t._ownsStorage = true;
        t._pooled = pooled;
        return t;
    }

    internal void SetContiguousStrides()
    {
        int s = 1;
        for (int i = _shape.Rank - 1; i >= 0; i--) { _strides[i] = s; s *= _shape[i]; }
    }

    /// <summary>A zeroed tensor that is never pooled, for state that outlives scopes (gradients, optimizer buffers).</summary>
    public static Tensor Persistent(in Shape shape)
    {
        var t = new Tensor { _storage = new float[shape.Length], _shape = shape, _ownsStorage = true };
        t.SetContiguousStrides();
        return t;
    }

    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Allocate(new Shape(shape), zero: true);
    public static Tensor Zeros(in Shape shape) => Allocate(shape, zero: true);
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(new Shape(shape), 1f);

    public static Tensor Full(in Shape shape, float value)
    {
        var t = Allocate(shape, zero: false);
        t.Span.Fill(value);
        return t;
    }

    public static Tensor Scalar(float value) => Full(new Shape(), value);

    /// <summary>A new tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        var s = new Shape(shape);
        if (s.Length != data.Length) throw new ArgumentException($"From: {data.Length} values do not fill shape {s}.");
        var t = Allocate(s, zero: false);
        data.CopyTo(t.Span);
        return t;
    }

    /// <summary>A tensor over <paramref name="data"/> without copying (like torch.from_numpy).</summary>
    public static Tensor Wrap(float[] data, params ReadOnlySpan<int> shape)
    {
        var s = new Shape(shape);
        if (s.Length != data.Length) throw new ArgumentException($"Wrap: {data.Length} values do not fill shape {s}.");
        var t = new Tensor { _storage = data, _shape = s, _ownsStorage = false };
        t.SetContiguousStrides();
        return t;
    }

    public static Tensor Uniform(in Shape shape, float low, float high, Rng rng)
    {
        var t = Allocate(shape, zero: false);
        rng.FillUniform(t.Span, low, high);
        return t;
    }

    public static Tensor Normal(in Shape shape, float mean, float std, Rng rng)
    {
        var t = Allocate(shape, zero: false);
        rng.FillNormal(t.Span, mean, std);
        return t;
    }

    /// <summary>A view sharing storage with this tensor (used by reshape/transpose/detach).</summary>
    internal Tensor ViewOf(in Shape shape)
    {
        CheckAlive();
        var v = TensorScope.RentView();
        v._storage = _storage;
        v._offset = _offset;
        v._shape = shape;
        v._ownsStorage = false;
        return v;
    }

    // ---- reading ----

    public float Item()
    {
        CheckAlive();
        if (Length != 1) throw new InvalidOperationException($"Item() needs a one-element tensor; shape is {_shape}.");
        return _storage[_offset];
    }

    /// <summary>Element at a multi-index (slow path for tests and inspection).</summary>
    public float At(params ReadOnlySpan<int> index)
    {
        CheckAlive();
        if (index.Length != Rank) throw new ArgumentException($"At: {index.Length} indices for shape {_shape}.");
        int off = _offset;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i]) throw new IndexOutOfRangeException($"At: index {index[i]} out of range for axis {i} of shape {_shape}.");
            off += index[i] * _strides[i];
        }
        return _storage[off];
    }

    public float[] ToArray()
    {
        CheckAlive();
        var result = new float[Length];
        Strided.CopyToContiguous(this, result);
        return result;
    }

    /// <summary>Copies values from a same-shaped tensor into this one in place (no autograd tracking).</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Shape != Shape) throw new ArgumentException($"CopyFrom: shapes {source.Shape} and {Shape} differ.");
        Strided.CopyToContiguous(source, Span);
    }

    public override string ToString()
    {
        if (_released) return $"Tensor{_shape} (released)";
        var values = ToArray();
        var shown = string.Join(", ", values.Take(8).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return $"Tensor{_shape} [{shown}{(values.Length > 8 ? ", ..." : "")}]" + (RequiresGrad ? " requires_grad" : "");
    }
}
