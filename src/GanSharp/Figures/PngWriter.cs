using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GanSharp.Figures;

/// <summary>
/// Encodes 8-bit greyscale, grey+alpha, RGB and RGBA images as PNG (non-interlaced).
/// Pixels are row-major, channels interleaved, no row padding.
/// </summary>
public static class PngWriter
{
    internal static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Split IDAT so that no single chunk is enormous; decoders accept any split.
    private const int MaxIdatLength = 1 << 18;

    /// <summary>Writes a PNG to <paramref name="stream"/> (left open).</summary>
    /// <param name="channels">1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA.</param>
    public static void Write(Stream stream, int width, int height, int channels, ReadOnlySpan<byte> pixels,
        CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(width, height, channels, pixels.Length);

        stream.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                          // bit depth
        ihdr[9] = ColorType(channels);
        ihdr[10] = 0;                         // compression: deflate
        ihdr[11] = 0;                         // filter method: adaptive (5 types)
        ihdr[12] = 0;                         // no interlace
        WriteChunk(stream, "IHDR", ihdr);

        byte[] compressed = Compress(width, height, channels, pixels, compression, out int compressedLength);
        for (int offset = 0; offset < compressedLength; offset += MaxIdatLength)
            WriteChunk(stream, "IDAT", compressed.AsSpan(offset, Math.Min(MaxIdatLength, compressedLength - offset)));

        WriteChunk(stream, "IEND", []);
    }

    /// <summary>Writes a PNG file atomically (temporary file in the same folder, then renamed over the target).</summary>
    public static void Write(string path, int width, int height, int channels, ReadOnlySpan<byte> pixels,
        CompressionLevel compression = CompressionLevel.Optimal)
    {
        Validate(width, height, channels, pixels.Length);
        using var file = AtomicFile.Create(path);
        Write(file.Stream, width, height, channels, pixels, compression);
        file.Commit();
    }

    /// <summary>Encodes a PNG into a new byte array.</summary>
    public static byte[] Encode(int width, int height, int channels, ReadOnlySpan<byte> pixels,
        CompressionLevel compression = CompressionLevel.Optimal)
    {
        var ms = new MemoryStream();
        Write(ms, width, height, channels, pixels, compression);
        return ms.ToArray();
    }

    internal static void Validate(int width, int height, int channels, long pixelLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA).");
        long expected = (long)width * height * channels;
        if (pixelLength != expected)
            throw new ArgumentException($"a {width}x{height} image with {channels} channel(s) needs {expected} bytes, got {pixelLength}.", "pixels");
    }

    private static byte ColorType(int channels) => channels switch
    {
        1 => 0, // greyscale
        2 => 4, // greyscale + alpha
        3 => 2, // truecolour
        _ => 6, // truecolour + alpha
    };

    private static byte[] Compress(int width, int height, int channels, ReadOnlySpan<byte> pixels,
        CompressionLevel compression, out int length)
    {
        int stride = width * channels;
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, compression, leaveOpen: true))
        {
            // Each scanline is a filter-type byte followed by the filtered row.
            var line = new byte[1 + stride];
            var scratch = new byte[stride];
            var zeros = new byte[stride];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
                ReadOnlySpan<byte> prior = y == 0 ? zeros : pixels.Slice((y - 1) * stride, stride);
                line[0] = PngFilter.ChooseAndApply(row, prior, channels, line.AsSpan(1), scratch);
                zlib.Write(line);
            }
        }
        length = checked((int)output.Length);
        return output.GetBuffer();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        stream.Write(header);
        stream.Write(data);

        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, header[4..]), data));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        stream.Write(trailer);
    }
}
