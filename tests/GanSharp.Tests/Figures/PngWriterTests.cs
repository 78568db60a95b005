using System.Buffers.Binary;
using System.IO.Compression;
using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class PngWriterTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int channels in new[] { 1, 2, 3, 4 })
            foreach (var (w, h) in new[] { (1, 1), (3, 7), (7, 3), (17, 5), (64, 48) })
                data.Add(w, h, channels);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_ThroughReader_ReturnsSamePixels(int width, int height, int channels)
    {
        byte[] pixels = PngTestFiles.PatternPixels(width, height, channels, seed: width * 31 + height + channels);

        byte[] png = PngWriter.Encode(width, height, channels, pixels);
        var image = PngReader.Decode(png);

        Assert.Equal((width, height, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Output_IsValidPng_CheckedIndependently(int width, int height, int channels)
    {
        byte[] pixels = PngTestFiles.RandomPixels(width * height * channels, seed: 7 + width + channels);
        var ms = new MemoryStream();
        PngWriter.Write(ms, width, height, channels, pixels);
        byte[] png = ms.ToArray();

        var chunks = PngTestFiles.Parse(png);

        // Every chunk's CRC, recomputed bit by bit over type + data.
        foreach (var chunk in chunks)
        {
            byte[] typeAndData = png.AsSpan(chunk.Offset + 4, 4 + chunk.Data.Length).ToArray();
            Assert.Equal(PngTestFiles.Crc(typeAndData), chunk.StoredCrc);
        }

        // IHDR first with the expected fields, IDATs contiguous, IEND last and empty.
        Assert.Equal("IHDR", chunks[0].Type);
        var ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal((uint)width, BinaryPrimitives.ReadUInt32BigEndian(ihdr));
        Assert.Equal((uint)height, BinaryPrimitives.ReadUInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal(PngTestFiles.ColorType(channels), ihdr[9]);
        Assert.Equal(new byte[] { 0, 0, 0 }, ihdr[10..13]);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.Equal("IDAT", c.Type));

        // Decode the image data with the test's own unfilter: the pixels must come back.
        byte[] z = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        var raw = new MemoryStream();
        using (var inflate = new ZLibStream(new MemoryStream(z), CompressionMode.Decompress)) inflate.CopyTo(raw);
        Assert.Equal(height * (width * channels + 1), raw.Length);
        Assert.Equal(pixels, PngTestFiles.Unfilter(raw.ToArray(), width, height, channels));
    }

    [Fact]
    public void Writer_PicksDifferentFiltersForDifferentContent()
    {
        // A horizontal gradient favours Sub, a vertical one Up: the heuristic should not be stuck on one filter.
        int w = 32, h = 32;
        var px = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                px[y * w + x] = (byte)(y < 16 ? x * 8 : 200);
        byte[] png = PngWriter.Encode(w, h, 1, px);
        byte[] z = PngTestFiles.Parse(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        var raw = new MemoryStream();
        using (var inflate = new ZLibStream(new MemoryStream(z), CompressionMode.Decompress)) inflate.CopyTo(raw);
        var filters = Enumerable.Range(0, h).Select(y => raw.ToArray()[y * (w + 1)]).Distinct().ToArray();
        Assert.True(filters.Length >= 2, $"filters used: {string.Join(",", filters)}");
    }

    [Fact]
    public void WriteToPath_IsAtomicAndLeavesNoTemporaryFiles()
    {
        string dir = Directory.CreateTempSubdirectory("gansharp-png-").FullName;
        try
        {
            string path = Path.Combine(dir, "img.png");
            System.IO.File.WriteAllText(path, "old content");
            byte[] pixels = PngTestFiles.RandomPixels(5 * 4 * 3, 1);

            PngWriter.Write(path, 5, 4, 3, pixels);

            Assert.Equal(pixels, PngReader.Read(path).Pixels);
            Assert.Equal(new[] { "img.png" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 1, 3, 0)]
    [InlineData(1, 0, 3, 0)]
    [InlineData(2, 2, 5, 20)]
    [InlineData(2, 2, 3, 11)]
    public void InvalidArguments_AreRejected(int width, int height, int channels, int length)
    {
        Assert.ThrowsAny<ArgumentException>(() => PngWriter.Encode(width, height, channels, new byte[length]));
    }
}
