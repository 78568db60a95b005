using System.Runtime.CompilerServices;

namespace GanSharp.Tensors;

/// <summary>Fixed-capacity inline storage so shapes never allocate.</summary>
[InlineArray(Shape.MaxRank)]
internal struct Dims
{
    private int _element0;
}

/// <summary>A tensor shape (up to <see cref="MaxRank"/> dimensions), a value type that never allocates.</summary>
public struct Shape : IEquatable<Shape>
{
    public const int MaxRank = 6;
    private Dims _dims;

    public int Rank { get; private set; }

    public Shape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > MaxRank)
            throw new ArgumentException($"A shape has at most {MaxRank} dimensions; got {dims.Length}.");
        Rank = dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0) throw new ArgumentException($"Shape dimensions must be non-negative; got {Format(dims)}.");
            _dims[i] = dims[i];
        }
    }

    /// <summary>Dimension i; negative i counts from the end as in PyTorch.</summary>
    public readonly int this[int i]
    {
        get
        {
            if (i < 0) i += Rank;
            if ((uint)i >= (uint)Rank) throw new ArgumentOutOfRangeException(nameof(i), $"dimension {i} of shape {this}");
            return _dims[i];
        }
    }

    internal void Set(int i, int value) => _dims[i] = value;

    /// <summary>Number of elements (1 for a scalar of rank 0).</summary>
    public readonly int Length
    {
        get
        {
            long n = 1;
            for (int i = 0; i < Rank; i++) n *= _dims[i];
            if (n > int.MaxValue) throw new OverflowException($"Shape {this} has more than 2^31 elements.");
            return (int)n;
        }
    }


    /// <summary>Resolves a possibly negative axis and checks it names a dimension.</summary>
    public readonly int Axis(int axis, string op)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank) throw new ArgumentException($"{op}: axis {axis} is out of range for shape {this}.");
        return a;
    }

    /// <summary>This shape with dimension <paramref name="axis"/> replaced.</summary>
    public readonly Shape With(int axis, int value)
    {
        var s = this;
        s._dims[axis] = value;
        return s;
    }

    /// <summary>This shape without dimension <paramref name="axis"/>.</summary>
    public readonly Shape Without(int axis)
    {
        var s = new Shape { Rank = Rank - 1 };
        for (int i = 0, j = 0; i < Rank; i++) if (i != axis) s._dims[j++] = _dims[i];
        return s;
    }

    /// <summary>The NumPy broadcast of two shapes, or an error naming both and the op.</summary>
    public static Shape Broadcast(in Shape a, in Shape b, string op)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var s = new Shape { Rank = rank };
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Rank) >= 0 ? a._dims[i - (rank - a.Rank)] : 1;
            int db = i - (rank - b.Rank) >= 0 ? b._dims[i - (rank - b.Rank)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {a} and {b} cannot be broadcast together.");
            s._dims[i] = da == 1 ? db : da;
        }
        return s;
    }

    public readonly bool Equals(Shape other)
    {
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++) if (_dims[i] != other._dims[i]) return false;
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override readonly int GetHashCode()
    {
        var h = new HashCode();
        for (int i = 0; i < Rank; i++) h.Add(_dims[i]);
        return h.ToHashCode();
    }

    public static bool operator ==(Shape a, Shape b) => a.Equals(b);
    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    public override readonly string ToString() => Format(ToArray());

    private static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";

    public readonly int[] ToArray()
    {
        var a = new int[Rank];
        for (int i = 0; i < Rank; i++) a[i] = _dims[i];
        return a;
    }
}
