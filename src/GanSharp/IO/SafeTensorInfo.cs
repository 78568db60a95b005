using System.Collections.ObjectModel;
using System.Globalization;

namespace GanSharp.IO;

/// <summary>One tensor's header entry: its dtype, shape and where its bytes lie in the data section.</summary>
public sealed class SafeTensorInfo
{
    internal SafeTensorInfo(string name, string dtype, long[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        Shape = Array.AsReadOnly(shape);
        ElementCount = elementCount;
        Begin = begin;
        End = end;
    }

    public string Name { get; }

    /// <summary>The format's dtype name: "F32", "F64", "I64", "U64", "U8", "BF16", ...</summary>
    public string DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public ReadOnlyCollection<long> Shape { get; }

    public int Rank => Shape.Count;

    /// <summary>Number of elements (1 for a scalar, 0 when any dimension is 0).</summary>
    public long ElementCount { get; }

    /// <summary>data_offsets[0]: first byte, relative to the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>data_offsets[1]: one past the last byte, relative to the start of the data section.</summary>
    public long End { get; }

    public long ByteLength => End - Begin;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {DType} {FormatShape(Shape)} bytes [{Begin}, {End})");

    internal static string FormatShape(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
