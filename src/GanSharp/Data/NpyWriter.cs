using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using GanSharp.Figures;

namespace GanSharp.Data;

/// <summary>
/// Writes float32 arrays as .npy (dtype '&lt;f4', C order), readable by numpy.load and
/// <see cref="NpyReader"/>. Version 1.0 unless the header would exceed its 64 KiB limit.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="data"/> with the given shape atomically (temporary file, then renamed).</summary>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        Validate(data.Length, shape);
        using var file = AtomicFile.Create(path);
        Write(file.Stream, data, shape);
        file.Commit();
    }

    /// <summary>Writes a dataset's examples as one array of shape (Count, ...SampleShape).</summary>
    public static void Write(string path, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Write(path, dataset.Data, [dataset.Count, .. dataset.SampleShape]);
    }

    /// <summary>Writes to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(data.Length, shape);

        string header = NpyHeader.Format("<f4", shape, prefixLength: 10);
        bool version2 = header.Length > ushort.MaxValue; // version 1 stores the length in 16 bits
        if (version2) header = NpyHeader.Format("<f4", shape, prefixLength: 12);

        Span<byte> prefix = stackalloc byte[12];
        NpyReader.Magic.CopyTo(prefix);
        prefix[6] = version2 ? (byte)2 : (byte)1;
        prefix[7] = 0;
        if (version2) BinaryPrimitives.WriteUInt32LittleEndian(prefix[8..], (uint)header.Length);
        else BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix[..(version2 ? 12 : 10)]);
        stream.Write(Encoding.Latin1.GetBytes(header));

        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }
        Span<byte> item = stackalloc byte[4];
        foreach (float v in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(item, v);
            stream.Write(item);
        }
    }

    private static void Validate(int length, ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape dimensions must be >= 0; got [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            product = Math.Min(product * d, 1L << 31); // saturate: no span is that long
        }
        if (product != length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {product} elements, but the data has {length}.", nameof(shape));
    }
}
