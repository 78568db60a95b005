using System.Buffers.Binary;
using System.IO.Compression;

namespace GanSharp.Figures;

/// <summary>
/// Decodes non-interlaced 8-bit PNGs: greyscale, grey+alpha, RGB and RGBA, any filter types,
/// any number of IDAT chunks, every chunk CRC verified. Everything else (palette, 16-bit,
/// sub-byte depths, Adam7) and every malformed file ends in a <see cref="PngFormatException"/>.
/// Nothing is allocated in proportion to the claimed image size before the header has been
/// validated, and the pixel buffer only grows as decompressed data actually arrives.
/// </summary>
public static class PngReader
{
    /// <summary>Largest accepted image, in bytes of decoded samples (width * height * channels).</summary>
    public const long MaxImageBytes = 1L << 28;

    private const int BlockSize = 1 << 16;

    /// <summary>Decodes a PNG from <paramref name="stream"/> (left open; read up to and including IEND).</summary>
    public static RasterImage Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Decoder(stream, source: null).Decode();
    }

    /// <summary>Decodes a PNG file; error messages name the file.</summary>
    public static RasterImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BlockSize);
        return new Decoder(stream, path).Decode();
    }

    /// <summary>Decodes a PNG held in memory.</summary>
    public static RasterImage Decode(ReadOnlySpan<byte> png)
    {
        using var stream = new MemoryStream(png.ToArray(), writable: false);
        return new Decoder(stream, source: null).Decode();
    }

    private readonly record struct Header(int Width, int Height, int Channels)
    {
        public int Stride => Width * Channels;
        public long RawLength => (long)Height * (1 + Stride); // one filter byte per scanline
    }

    private sealed class Decoder(Stream stream, string? source)
    {
        private readonly byte[] _block = new byte[BlockSize];

        private PngFormatException Fail(string message, Exception? inner = null) =>
            new(source is null ? message : $"{source}: {message}", inner);

        public RasterImage Decode()
        {
            Span<byte> signature = stackalloc byte[8];
            if (ReadAtMost(signature) < 8 || !signature.SequenceEqual(PngWriter.Signature))
                throw Fail("not a PNG file (bad signature)");

            Header? header = null;
            var compressed = new MemoryStream();
            bool idatStarted = false, idatEnded = false;
            Span<byte> chunkHeader = stackalloc byte[8];
            Span<byte> ihdrBuffer = stackalloc byte[13];

            while (true)
            {
                if (ReadAtMost(chunkHeader) < 8)
                    throw Fail("unexpected end of file before IEND (truncated PNG)");
                uint length = BinaryPrimitives.ReadUInt32BigEndian(chunkHeader);
                ReadOnlySpan<byte> typeBytes = chunkHeader[4..];
                foreach (byte b in typeBytes)
                    if (!char.IsAsciiLetter((char)b))
                        throw Fail("invalid chunk type (corrupt PNG)");
                string type = System.Text.Encoding.ASCII.GetString(typeBytes);
                if (length > int.MaxValue)
                    throw Fail($"chunk '{type}' declares length {length}, above the PNG limit 2^31-1");

                uint crc = Crc32.Append(Crc32.Start, typeBytes);

                if (header is null && type != "IHDR")
                    throw Fail($"IHDR chunk missing (first chunk is '{type}')");
                if (idatStarted && type != "IDAT")
                    idatEnded = true;

                switch (type)
                {
                    case "IHDR":
                        if (header is not null) throw Fail("duplicate IHDR chunk");
                        if (length != 13) throw Fail($"IHDR chunk has length {length}, expected 13");
                        ReadChunkData(type, ihdrBuffer);
                        crc = Crc32.Append(crc, ihdrBuffer);
                        VerifyCrc(type, crc);
                        header = ParseHeader(ihdrBuffer);
                        break;

                    case "IDAT":
                        if (idatEnded) throw Fail("IDAT chunks are not consecutive");
                        idatStarted = true;
                        // Deflate never needs much more than the raw size (stored blocks cost 5 bytes per 64 KiB).
                        long limit = header!.Value.RawLength + header.Value.RawLength / 1024 + 1024;
                        if (compressed.Length + length > limit)
                            throw Fail($"IDAT data exceeds {limit} bytes, more than a {header.Value.Width}x{header.Value.Height} image can need");
                        crc = CopyChunkData(type, length, crc, compressed);
                        VerifyCrc(type, crc);
                        break;

                    case "IEND":
                        if (length != 0) throw Fail($"IEND chunk has length {length}, expected 0");
                        VerifyCrc(type, crc);
                        if (!idatStarted) throw Fail("no IDAT chunk (image data missing)");
                        return Inflate(header!.Value, compressed);

                    default:
                        // Bit 5 of the first type byte clear = critical: we may not ignore what we don't understand.
                        bool critical = (typeBytes[0] & 0x20) == 0;
                        if (type == "PLTE") critical = false; // only a suggestion for grey/truecolour images
                        if (critical) throw Fail($"unknown critical chunk '{type}'");
                        crc = CopyChunkData(type, length, crc, destination: null);
                        VerifyCrc(type, crc);
                        break;
                }
            }
        }

        private Header ParseHeader(ReadOnlySpan<byte> ihdr)
        {
            uint width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
            uint height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
            byte bitDepth = ihdr[8], colorType = ihdr[9], compression = ihdr[10], filter = ihdr[11], interlace = ihdr[12];

            if (width == 0 || height == 0)
                throw Fail($"invalid dimensions {width}x{height}");
            if (width > int.MaxValue || height > int.MaxValue)
                throw Fail($"dimensions {width}x{height} exceed the PNG limit 2^31-1");

            bool depthValid = colorType switch
            {
                0 => bitDepth is 1 or 2 or 4 or 8 or 16,
                3 => bitDepth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => bitDepth is 8 or 16,
                _ => throw Fail($"invalid colour type {colorType}"),
            };
            if (!depthValid)
                throw Fail($"invalid bit depth {bitDepth} for colour type {colorType}");
            if (colorType == 3)
                throw Fail("palette (indexed-colour) PNG is not supported");
            if (bitDepth == 16)
                throw Fail("16-bit PNG is not supported");
            if (bitDepth < 8)
                throw Fail($"sub-byte bit depth {bitDepth} is not supported");
            if (compression != 0)
                throw Fail($"unknown compression method {compression}");
            if (filter != 0)
                throw Fail($"unknown filter method {filter}");
            if (interlace == 1)
                throw Fail("interlaced PNG (Adam7) is not supported");
            if (interlace != 0)
                throw Fail($"invalid interlace method {interlace}");

            int channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 };
            UInt128 bytes = (UInt128)width * height * (uint)channels; // up to ~2^64: beyond long
            if (bytes > MaxImageBytes)
                throw Fail($"image too large: {width}x{height} with {channels} channel(s) is {bytes} bytes (limit {MaxImageBytes})");
            return new Header((int)width, (int)height, channels);
        }

        private RasterImage Inflate(Header h, MemoryStream compressed)
        {
            long rawLength = h.RawLength;
            compressed.Position = 0;

            // Grow the buffer as data arrives (never trusting the header for one big allocation);
            // ask for one byte beyond the expected size to detect surplus data.
            byte[] raw = new byte[(int)Math.Min(rawLength + 1, BlockSize)];
            long filled = 0;
            try
            {
                using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
                while (filled < rawLength + 1)
                {
                    if (filled == raw.Length)
                        Array.Resize(ref raw, (int)Math.Min(rawLength + 1, 2L * raw.Length));
                    int n = zlib.Read(raw, (int)filled, raw.Length - (int)filled);
                    if (n == 0) break;
                    filled += n;
                }
            }
            catch (InvalidDataException ex)
            {
                throw Fail($"corrupt compressed image data: {ex.Message}", ex);
            }

            if (filled != rawLength)
                throw Fail(filled < rawLength
                    ? $"decompressed image data is {filled} bytes, but {h.Width}x{h.Height} with {h.Channels} channel(s) needs {rawLength}"
                    : $"decompressed image data is longer than the {rawLength} bytes {h.Width}x{h.Height} with {h.Channels} channel(s) needs");

            // Unfilter each scanline in place, then slide it left over the filter bytes. The row
            // above is already reconstructed at its final position, which lies before this row.
            int stride = h.Stride;
            byte[] zeros = new byte[stride];
            for (int y = 0; y < h.Height; y++)
            {
                int src = y * (stride + 1);
                Span<byte> row = raw.AsSpan(src + 1, stride);
                ReadOnlySpan<byte> prior = y == 0 ? zeros : raw.AsSpan((y - 1) * stride, stride);
                byte filterType = raw[src];
                if (filterType > PngFilter.Paeth)
                    throw Fail($"invalid filter type {filterType} on row {y}");
                PngFilter.Undo(filterType, row, prior, h.Channels);
                row.CopyTo(raw.AsSpan(y * stride, stride));
            }

            Array.Resize(ref raw, h.Height * stride);
            return new RasterImage(h.Width, h.Height, h.Channels, raw);
        }

        private void VerifyCrc(string type, uint state)
        {
            Span<byte> stored = stackalloc byte[4];
            if (ReadAtMost(stored) < 4)
                throw Fail($"unexpected end of file in the CRC of chunk '{type}' (truncated PNG)");
            uint expected = BinaryPrimitives.ReadUInt32BigEndian(stored), actual = Crc32.Finish(state);
            if (expected != actual)
                throw Fail($"CRC mismatch in chunk '{type}' (stored 0x{expected:X8}, computed 0x{actual:X8})");
        }

        private void ReadChunkData(string type, Span<byte> data)
        {
            if (ReadAtMost(data) < data.Length)
                throw Fail($"unexpected end of file in chunk '{type}' (truncated PNG)");
        }

        // Streams chunk data through a fixed block, so a bogus length costs no memory.
        private uint CopyChunkData(string type, uint length, uint crc, MemoryStream? destination)
        {
            long remaining = length;
            while (remaining > 0)
            {
                Span<byte> block = _block.AsSpan(0, (int)Math.Min(remaining, _block.Length));
                ReadChunkData(type, block);
                crc = Crc32.Append(crc, block);
                destination?.Write(block);
                remaining -= block.Length;
            }
            return crc;
        }

        private int ReadAtMost(Span<byte> buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
            return total;
        }
    }
}
