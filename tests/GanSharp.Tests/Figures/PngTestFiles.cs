using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GanSharp.Tests.Figures;

/// <summary>
/// An independent, deliberately naive PNG toolkit for tests: bit-by-bit CRC-32, chunk
/// assembly and parsing, and the five filters written straight from the specification.
/// </summary>
internal static class PngTestFiles
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>CRC-32 computed bit by bit (no table), independent of the library's implementation.</summary>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(uint width, uint height, byte bitDepth = 8, byte colorType = 2, byte interlace = 0)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(d, width);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), height);
        d[8] = bitDepth;
        d[9] = colorType;
        d[12] = interlace;
        return Chunk("IHDR", d);
    }

    public static byte ColorType(int channels) => channels switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };

    public static byte[] Zlib(ReadOnlySpan<byte> raw)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A PNG from explicit chunks (signature prepended).</summary>
    public static byte[] Assemble(params byte[][] chunks) => Concat([Signature, .. chunks]);

    /// <summary>
    /// Scanlines for <paramref name="pixels"/>, row y filtered with <paramref name="filterForRow"/>(y),
    /// using the specification's formulas directly.
    /// </summary>
    public static byte[] FilteredScanlines(byte[] pixels, int width, int height, int channels, Func<int, byte> filterForRow)
    {
        int stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        for (int y = 0; y < height; y++)
        {
            byte f = filterForRow(y);
            raw[y * (stride + 1)] = f;
            for (int i = 0; i < stride; i++)
            {
                int x = pixels[y * stride + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int predicted = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => Paeth(a, b, c),
                };
                raw[y * (stride + 1) + 1 + i] = (byte)(x - predicted);
            }
        }
        return raw;
    }

    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Reverses <see cref="FilteredScanlines"/> (for checking the writer independently of the reader).</summary>
    public static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        int stride = width * channels;
        var px = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte f = raw[y * (stride + 1)];
            Assert.InRange(f, (byte)0, (byte)4);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? px[y * stride + i - channels] : 0;
                int b = y > 0 ? px[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? px[(y - 1) * stride + i - channels] : 0;
                int predicted = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                px[y * stride + i] = (byte)(raw[y * (stride + 1) + 1 + i] + predicted);
            }
        }
        return px;
    }

    /// <summary>A complete PNG for <paramref name="pixels"/> whose IDAT data is split into pieces of at most <paramref name="idatPiece"/> bytes.</summary>
    public static byte[] Build(byte[] pixels, int width, int height, int channels, Func<int, byte> filterForRow, int idatPiece = int.MaxValue)
    {
        byte[] z = Zlib(FilteredScanlines(pixels, width, height, channels, filterForRow));
        var chunks = new List<byte[]> { Ihdr((uint)width, (uint)height, 8, ColorType(channels)) };
        for (int o = 0; o < z.Length; o += idatPiece)
            chunks.Add(Chunk("IDAT", z.AsSpan(o, Math.Min(idatPiece, z.Length - o))));
        chunks.Add(Chunk("IEND", []));
        return Assemble([.. chunks]);
    }

    public sealed record ParsedChunk(int Offset, string Type, byte[] Data, uint StoredCrc);

    /// <summary>Splits a PNG into chunks, asserting the signature and framing.</summary>
    public static List<ParsedChunk> Parse(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(Signature), "PNG signature");
        var chunks = new List<ParsedChunk>();
        int o = 8;
        while (o < png.Length)
        {
            Assert.True(o + 12 <= png.Length, "chunk header within file");
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(o));
            string type = Encoding.ASCII.GetString(png, o + 4, 4);
            Assert.True(o + 12 + length <= png.Length, $"chunk {type} within file");
            chunks.Add(new ParsedChunk(o, type, png.AsSpan(o + 8, length).ToArray(), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(o + 8 + length))));
            o += 12 + length;
        }
        return chunks;
    }

    public static byte[] RandomPixels(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Smooth-ish content (gradients plus noise) so that every filter gets picked somewhere.</summary>
    public static byte[] PatternPixels(int width, int height, int channels, int seed)
    {
        var rng = new Random(seed);
        var px = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    px[(y * width + x) * channels + c] = (byte)((x * (c + 1) * 7 + y * 3 + (rng.Next(4) == 0 ? rng.Next(256) : 0)) & 0xFF);
        return px;
    }
}
