using System.Buffers.Binary;
using GanSharp.Figures;
using static GanSharp.Tests.Figures.PngTestFiles;

namespace GanSharp.Tests.Figures;

public class PngReaderTests
{
    public static TheoryData<byte, int> FilterCases()
    {
        var data = new TheoryData<byte, int>();
        for (byte f = 0; f <= 4; f++)
            foreach (int channels in new[] { 1, 2, 3, 4 })
                data.Add(f, channels);
        return data;
    }

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Decodes_EachFilterType(byte filter, int channels)
    {
        const int w = 9, h = 6;
        byte[] pixels = RandomPixels(w * h * channels, seed: filter * 10 + channels);
        byte[] png = Build(pixels, w, h, channels, _ => filter);

        var image = PngReader.Decode(png);

        Assert.Equal((w, h, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decodes_MixedFiltersAndManyIdatChunks(int channels)
    {
        const int w = 13, h = 11;
        byte[] pixels = PatternPixels(w, h, channels, seed: channels);
        foreach (int piece in new[] { 1, 2, 7, 64 })
        {
            byte[] png = Build(pixels, w, h, channels, y => (byte)(y % 5), idatPiece: piece);
            Assert.Equal(pixels, PngReader.Decode(png).Pixels);
        }
    }

    [Fact]
    public void SkipsAncillaryChunks_AndReadsFromStreamAndPath()
    {
        byte[] pixels = RandomPixels(4 * 3 * 3, 5);
        byte[] z = Zlib(FilteredScanlines(pixels, 4, 3, 3, _ => 0));
        byte[] png = Assemble(Ihdr(4, 3), Chunk("tEXt", "Comment\0hello"u8), Chunk("gAMA", [0, 0, 0xB1, 0x8F]),
            Chunk("IDAT", z), Chunk("tIME", new byte[7]), Chunk("IEND", []));

        Assert.Equal(pixels, PngReader.Read(new MemoryStream(png)).Pixels);

        string path = Path.Combine(Path.GetTempPath(), $"gansharp-{Guid.NewGuid():N}.png");
        try
        {
            System.IO.File.WriteAllBytes(path, png);
            var (w, h, c, px) = PngReader.Read(path);
            Assert.Equal((4, 3, 3), (w, h, c));
            Assert.Equal(pixels, px);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData((byte)8, (byte)3, "palette")]
    [InlineData((byte)16, (byte)2, "16-bit")]
    [InlineData((byte)16, (byte)0, "16-bit")]
    [InlineData((byte)4, (byte)0, "bit depth 4")]
    [InlineData((byte)1, (byte)0, "bit depth 1")]
    [InlineData((byte)7, (byte)2, "invalid bit depth")]
    [InlineData((byte)8, (byte)5, "invalid colour type")]
    public void UnsupportedOrInvalidFormats_AreRefusedWithAClearMessage(byte bitDepth, byte colorType, string expected)
    {
        var chunks = new List<byte[]> { Ihdr(4, 4, bitDepth, colorType) };
        if (colorType == 3) chunks.Add(Chunk("PLTE", new byte[] { 0, 0, 0, 255, 255, 255 }));
        chunks.Add(Chunk("IDAT", Zlib(new byte[64])));
        chunks.Add(Chunk("IEND", []));

        var ex = Assert.Throws<PngFormatException>(() => PngReader.Decode(Assemble([.. chunks])));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Interlaced_IsRefused()
    {
        byte[] png = Assemble(Ihdr(4, 4, 8, 2, interlace: 1), Chunk("IDAT", Zlib(new byte[100])), Chunk("IEND", []));
        var ex = Assert.Throws<PngFormatException>(() => PngReader.Decode(png));
        Assert.Contains("interlaced PNG (Adam7) is not supported", ex.Message);
    }

    [Fact]
    public void PngFormatException_IsAnIOException() =>
        Assert.IsAssignableFrom<IOException>(new PngFormatException("x"));

    private static byte[] ValidPng(int w = 5, int h = 4, int channels = 3) =>
        PngWriter.Encode(w, h, channels, PatternPixels(w, h, channels, seed: 3));

    [Fact]
    public void BadSignature()
    {
        byte[] png = ValidPng();
        png[1] = (byte)'X';
        Assert.Contains("signature", Assert.Throws<PngFormatException>(() => PngReader.Decode(png)).Message);
        Assert.Throws<PngFormatException>(() => PngReader.Decode([]));
        Assert.Throws<PngFormatException>(() => PngReader.Decode("GIF89a..........."u8));
    }

    [Fact]
    public void BadCrc_IsReportedWithTheChunkName()
    {
        byte[] png = ValidPng();
        var idat = Parse(png).First(c => c.Type == "IDAT");
        png[idat.Offset + 8 + idat.Data.Length] ^= 0x01; // first CRC byte
        var ex = Assert.Throws<PngFormatException>(() => PngReader.Decode(png));
        Assert.Contains("CRC", ex.Message);
        Assert.Contains("IDAT", ex.Message);
    }

    [Fact]
    public void MissingIhdr_MissingIdat_NonConsecutiveIdat_UnknownCriticalChunk()
    {
        byte[] z = Zlib(FilteredScanlines(new byte[12], 2, 2, 3, _ => 0));
        Assert.Contains("IHDR", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Chunk("IDAT", z), Chunk("IEND", [])))).Message);
        Assert.Contains("IDAT", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IEND", [])))).Message);
        Assert.Contains("consecutive", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IDAT", z[..5]), Chunk("tEXt", "a\0b"u8), Chunk("IDAT", z[5..]), Chunk("IEND", [])))).Message);
        Assert.Contains("critical", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("ABCD", [1, 2]), Chunk("IDAT", z), Chunk("IEND", [])))).Message);
        Assert.Contains("IEND", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IDAT", z)))).Message);
    }

    [Theory]
    [InlineData(0u, 5u, "invalid dimensions")]
    [InlineData(5u, 0u, "invalid dimensions")]
    [InlineData(0x80000000u, 1u, "2^31-1")]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu, "too large")]
    [InlineData(20000u, 20000u, "too large")]
    public void AbsurdDimensions_AreRefused(uint width, uint height, string expected)
    {
        byte[] png = Assemble(Ihdr(width, height), Chunk("IDAT", Zlib(new byte[16])), Chunk("IEND", []));
        Assert.Contains(expected, Assert.Throws<PngFormatException>(() => PngReader.Decode(png)).Message);
    }

    [Fact]
    public void LargeClaimedSize_WithTinyData_FailsWithoutAHugeAllocation()
    {
        // 16384 x 16384 grey is exactly at the 2^28 limit, but the data holds only a few rows.
        byte[] z = Zlib(new byte[3 * 16385]);
        byte[] png = Assemble(Ihdr(16384, 16384, 8, 0), Chunk("IDAT", z), Chunk("IEND", []));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<PngFormatException>(() => PngReader.Decode(png));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("decompressed image data", ex.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void DeclaredHugeChunkLength_InATruncatedFile_IsRefusedCheaply()
    {
        byte[] png = ValidPng();
        var idat = Parse(png).First(c => c.Type == "IDAT");
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(idat.Offset), 0x7FFFFFF0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<PngFormatException>(() => PngReader.Decode(png));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
    }

    [Theory]
    [InlineData(4, 3, "needs")]       // data for fewer rows than IHDR claims
    [InlineData(4, 5, "longer")]      // data for more rows than IHDR claims
    public void DimensionsDisagreeingWithData_AreRefused(int width, int dataRows, string expected)
    {
        byte[] z = Zlib(FilteredScanlines(new byte[width * dataRows * 3], width, dataRows, 3, _ => 0));
        byte[] png = Assemble(Ihdr((uint)width, 4), Chunk("IDAT", z), Chunk("IEND", []));
        Assert.Contains(expected, Assert.Throws<PngFormatException>(() => PngReader.Decode(png)).Message);
    }

    [Fact]
    public void InvalidFilterType_CorruptZlib_AndBadAdler_AreRefused()
    {
        byte[] raw = FilteredScanlines(new byte[2 * 2 * 3], 2, 2, 3, _ => 0);
        raw[7] = 9; // second row's filter byte
        Assert.Contains("filter type 9", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IDAT", Zlib(raw)), Chunk("IEND", [])))).Message);

        Assert.Contains("compressed", Assert.Throws<PngFormatException>(() =>
            PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF]), Chunk("IEND", [])))).Message);

        byte[] z = Zlib(FilteredScanlines(new byte[12], 2, 2, 3, _ => 0));
        z[^1] ^= 0xFF; // Adler-32 of the zlib stream
        Assert.Throws<PngFormatException>(() => PngReader.Decode(Assemble(Ihdr(2, 2), Chunk("IDAT", z), Chunk("IEND", []))));
    }

    [Fact]
    public void TruncatedAtEveryOffset_AlwaysThrowsPngFormatException()
    {
        byte[] png = ValidPng(6, 5, 4);
        for (int length = 0; length < png.Length; length++)
        {
            byte[] truncated = png[..length];
            Assert.Throws<PngFormatException>(() => PngReader.Decode(truncated));
        }
    }

    [Fact]
    public void RandomByteFlips_AlwaysThrowPngFormatException()
    {
        // Every byte of a PNG is covered by the signature check, a CRC or the chunk framing.
        byte[] png = ValidPng(7, 6, 3);
        var rng = new Random(2024);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] corrupt = (byte[])png.Clone();
            int flips = 1 + rng.Next(3);
            for (int k = 0; k < flips; k++)
                corrupt[rng.Next(corrupt.Length)] ^= (byte)(1 + rng.Next(255));
            if (corrupt.AsSpan().SequenceEqual(png)) continue; // two flips cancelled out
            Assert.Throws<PngFormatException>(() => PngReader.Decode(corrupt));
        }
    }

    [Fact]
    public void CorruptImageDataWithValidCrcs_NeverThrowsAnythingElse()
    {
        // Flip bytes inside the compressed data and re-seal the chunk, so the zlib layer and
        // the size checks are what must catch it.
        const int w = 8, h = 6;
        byte[] pixels = PatternPixels(w, h, 3, seed: 9);
        byte[] z = Zlib(FilteredScanlines(pixels, w, h, 3, y => (byte)(y % 5)));
        var rng = new Random(77);
        int decoded = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bad = (byte[])z.Clone();
            for (int k = 0, n = 1 + rng.Next(3); k < n; k++)
                bad[rng.Next(bad.Length)] ^= (byte)(1 + rng.Next(255));
            if (rng.Next(4) == 0) bad = bad[..rng.Next(bad.Length)];
            byte[] png = Assemble(Ihdr(w, h), Chunk("IDAT", bad), Chunk("IEND", []));
            try
            {
                var image = PngReader.Decode(png);
                Assert.Equal(w * h * 3, image.Pixels.Length);
                decoded++;
            }
            catch (PngFormatException)
            {
            }
        }
        Assert.True(decoded < 300);
    }

    [Fact]
    public void ErrorsFromAPath_NameTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gansharp-broken-{Guid.NewGuid():N}.png");
        try
        {
            System.IO.File.WriteAllBytes(path, ValidPng()[..30]);
            var ex = Assert.Throws<PngFormatException>(() => PngReader.Read(path));
            Assert.Contains(Path.GetFileName(path), ex.Message);
            Assert.Contains("truncated", ex.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
