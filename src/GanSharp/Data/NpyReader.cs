using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GanSharp.Data;

/// <summary>
/// Reads NumPy .npy files (format versions 1.0, 2.0 and 3.0) of dtype '|u1' (uint8), '&lt;f4'
/// (float32) or '&lt;f8' (float64, converted to float32), in C order. Every element becomes a float;
/// uint8 values are divided by 255 only when asked. Fortran-order arrays, other dtypes, and
/// malformed files end in a <see cref="DataFormatException"/>.
/// </summary>
/// <remarks>
/// Layout: the magic "\x93NUMPY", major and minor version bytes, the header length (uint16 LE in
/// version 1, uint32 LE in versions 2 and 3), the header dictionary (latin-1, UTF-8 in version 3),
/// then the raw elements. The header is validated, and the file length checked against
/// shape x item size, before the array is allocated.
/// </remarks>
public static class NpyReader
{
    /// <summary>numpy's own safety limit for header length is 10000; simple dtypes never need more than a few hundred bytes.</summary>
    public const int MaxHeaderLength = 1 << 16;

    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int BlockSize = 1 << 16;

    /// <summary>Reads an array; <paramref name="scaleBytes"/> divides uint8 data by 255 (floats are never scaled).</summary>
    public static NpyArray Read(string path, bool scaleBytes = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BlockSize);
        long fileLength = file.Length;

        (NpyHeader header, long dataOffset) = ReadHeader(file, path, fileLength);
        if (header.FortranOrder)
            throw DataFormatException.In(path, "Fortran-order (column-major) arrays are not supported; save a C-order array (np.ascontiguousarray)");
        int itemSize = header.Descr switch
        {
            "|u1" or "<u1" or "u1" => 1,
            "<f4" => 4,
            "<f8" => 8,
            ">f4" or ">f8" => throw DataFormatException.In(path, $"big-endian dtype '{header.Descr}' is not supported; save as '<{header.Descr[1..]}'"),
            _ => throw DataFormatException.In(path, $"unsupported dtype '{header.Descr}' (supported: '|u1', '<f4', '<f8')"),
        };

        long elements = 1, bound = 1; // bound treats zero dims as 1, so (0, 2^20, 2^20) is refused too
        foreach (int d in header.Shape)
        {
            bound *= Math.Max(d, 1);
            if (bound > Dataset.MaxElements)
                throw DataFormatException.In(path, $"shape {FormatShape(header.Shape)} exceeds the limit of {Dataset.MaxElements} elements");
            elements *= d;
        }
        long payload = elements * itemSize, available = fileLength - dataOffset;
        if (available != payload)
            throw DataFormatException.In(path, $"header declares shape {FormatShape(header.Shape)} of '{header.Descr}' = {payload} bytes of data, but the file holds {available}{(available < payload ? " (truncated)" : "")}");

        var data = new float[elements];
        ReadElements(file, path, itemSize, scaleBytes, data);
        return new NpyArray(header.Shape, data, header.Descr);
    }

    /// <summary>
    /// Loads an array of shape (count, ...) as a dataset with sample shape (...) — (count,) gives
    /// scalar examples of shape [1]. Labels, if given, come from a 1-D .npy of whole numbers >= 0.
    /// </summary>
    public static Dataset LoadDataset(string dataPath, string name, bool scaleBytes, string? labelsPath = null)
    {
        NpyArray array = Read(dataPath, scaleBytes);
        if (array.Shape.Length == 0)
            throw DataFormatException.In(dataPath, "a 0-d array is not a dataset (expected shape (count, ...))");
        int count = array.Shape[0];
        int[] sampleShape = array.Shape.Length == 1 ? [1] : array.Shape[1..];
        if (sampleShape.Any(d => d == 0))
            throw DataFormatException.In(dataPath, $"shape {FormatShape(array.Shape)} has an empty example dimension");

        int[]? labels = null;
        if (labelsPath is not null)
        {
            NpyArray labelArray = Read(labelsPath);
            if (labelArray.Shape.Length != 1 || labelArray.Shape[0] != count)
                throw DataFormatException.In(labelsPath, $"labels have shape {FormatShape(labelArray.Shape)}; {dataPath} needs ({count},)");
            labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                float v = labelArray.Data[i];
                if (!(v >= 0) || v != MathF.Floor(v) || v > 1 << 24)
                    throw DataFormatException.In(labelsPath, $"label {i} is {v.ToString(CultureInfo.InvariantCulture)}; labels must be whole numbers >= 0");
                labels[i] = (int)v;
            }
        }
        return new Dataset(name, array.Data, sampleShape, labels);
    }

    private static (NpyHeader Header, long DataOffset) ReadHeader(Stream file, string path, long fileLength)
    {
        Span<byte> prefix = stackalloc byte[12];
        int got = StreamReading.ReadAtMost(file, prefix[..8]);
        if (got < 6 || !prefix[..6].SequenceEqual(Magic))
            throw DataFormatException.In(path, got < 6 && prefix[..got].SequenceEqual(Magic[..got])
                ? $"truncated .npy file ({got} bytes)"
                : "not a .npy file (bad magic; expected \\x93NUMPY)");
        if (got < 8)
            throw DataFormatException.In(path, $"truncated .npy header ({got} bytes)");
        byte major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw DataFormatException.In(path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");

        int prefixLength = major == 1 ? 10 : 12;
        got = StreamReading.ReadAtMost(file, prefix[8..prefixLength]);
        if (got < prefixLength - 8)
            throw DataFormatException.In(path, $"truncated .npy header ({8 + got} bytes)");
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > MaxHeaderLength)
            throw DataFormatException.In(path, $".npy header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");
        if (prefixLength + headerLength > fileLength)
            throw DataFormatException.In(path, $".npy header declares {headerLength} bytes, but the file ends after {fileLength - prefixLength} (truncated)");

        var headerBytes = new byte[headerLength];
        if (StreamReading.ReadAtMost(file, headerBytes) < headerLength)
            throw DataFormatException.In(path, "truncated .npy header");
        string text;
        try
        {
            text = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes)
                : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw DataFormatException.In(path, "the .npy header is not valid UTF-8", ex);
        }
        return (NpyHeader.Parse(text, path), prefixLength + headerLength);
    }

    // Converts block by block, so the only large allocation is the float array itself.
    private static void ReadElements(Stream file, string path, int itemSize, bool scaleBytes, float[] data)
    {
        var block = new byte[BlockSize]; // a multiple of every item size
        long total = (long)data.Length * itemSize, done = 0;
        int index = 0;
        while (done < total)
        {
            int want = (int)Math.Min(block.Length, total - done);
            int got = StreamReading.ReadAtMost(file, block.AsSpan(0, want));
            if (got < want) // the file shrank after it was sized
                throw DataFormatException.In(path, $".npy data ends after {done + got} of {total} bytes (truncated)");
            ReadOnlySpan<byte> bytes = block.AsSpan(0, want);
            Span<float> dst = data.AsSpan(index, want / itemSize);
            switch (itemSize)
            {
                case 1 when scaleBytes: PixelScale.ToUnit(bytes, dst); break;
                case 1: for (int i = 0; i < dst.Length; i++) dst[i] = bytes[i]; break;
                case 4: for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]); break;
                default: for (int i = 0; i < dst.Length; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]); break;
            }
            done += want;
            index += dst.Length;
        }
    }

    internal static string FormatShape(int[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
}
