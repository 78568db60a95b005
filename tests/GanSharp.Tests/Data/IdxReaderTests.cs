using GanSharp.Data;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class IdxReaderTests
{
    private const int N = 5, Rows = 3, Cols = 4;

    private static readonly byte[] Pixels = RandomBytes(N * Rows * Cols, seed: 1);
    private static readonly byte[] LabelBytes = [3, 0, 7, 3, 1];
    private static readonly byte[] ImagesFile = Idx([N, Rows, Cols], Pixels);
    private static readonly byte[] LabelsFile = Idx([N], LabelBytes);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadMnistLike_RoundTripsRawAndGzipFiles(bool gzip)
    {
        using var dir = new TempFolder();
        string images = dir.Write("images", gzip ? Gzip(ImagesFile) : ImagesFile);
        string labels = dir.Write("labels", gzip ? Gzip(LabelsFile) : LabelsFile);

        Dataset d = IdxReader.LoadMnistLike(images, labels, "tiny");

        Assert.Equal("tiny", d.Name);
        Assert.Equal(N, d.Count);
        Assert.Equal([1, Rows, Cols], d.SampleShape);
        Assert.Equal(Rows * Cols, d.Dimension);
        Assert.Equal(Pixels.Select(b => b / 255f), d.Data);
        Assert.Equal(LabelBytes.Select(b => (int)b), d.Labels!);
        Assert.Equal(8, d.ClassCount); // largest label + 1
        Assert.All(d.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Read_ReturnsShapeAndBytes_ForAnyUnsignedByteRank()
    {
        using var dir = new TempFolder();
        byte[] payload = RandomBytes(2 * 3 * 2 * 2, seed: 2);
        IdxArray a = IdxReader.Read(dir.Write("a.idx", Idx([2, 3, 2, 2], payload)));
        Assert.Equal([2, 3, 2, 2], a.Shape);
        Assert.Equal(payload, a.Data);

        IdxArray empty = IdxReader.ReadLabels(dir.Write("empty.idx", Idx([0], [])));
        Assert.Equal([0], empty.Shape);
        Assert.Empty(empty.Data);
    }

    [Fact]
    public void LoadMnistLike_WithoutLabels_IsUnlabelled()
    {
        using var dir = new TempFolder();
        Dataset d = IdxReader.LoadMnistLike(dir.Write("images", ImagesFile), null, "x");
        Assert.Null(d.Labels);
        Assert.Equal(0, d.ClassCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedAtEveryOffset_IsRefused(bool gzip)
    {
        using var dir = new TempFolder();
        string path = dir.Path("cut");
        foreach (byte[] whole in new[] { ImagesFile, LabelsFile })
        {
            byte[] file = gzip ? Gzip(whole) : whole;
            for (int length = 0; length < file.Length; length++)
            {
                File.WriteAllBytes(path, file[..length]);
                var ex = AssertRefused(() => IdxReader.LoadMnistLike(
                    whole == ImagesFile ? path : dir.Write("im", ImagesFile),
                    whole == LabelsFile ? path : dir.Write("lb", LabelsFile), "x"));
                Assert.Contains(path, ex.Message);
            }
        }
    }

    [Fact]
    public void GzipOfATruncatedFile_IsRefusedAtEveryOffset()
    {
        // A valid gzip stream whose content is a cut-short IDX file: only the length check can tell.
        using var dir = new TempFolder();
        string path = dir.Path("cut.gz");
        for (int length = 0; length < ImagesFile.Length; length++)
        {
            File.WriteAllBytes(path, Gzip(ImagesFile.AsSpan(0, length)));
            AssertRefused(() => IdxReader.ReadImages(path));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DataBeyondTheHeaderSize_IsRefused(bool gzip)
    {
        using var dir = new TempFolder();
        byte[] longer = [.. ImagesFile, 0];
        var ex = AssertRefused(() => IdxReader.ReadImages(dir.Write("long", gzip ? Gzip(longer) : longer)));
        Assert.Contains(gzip ? "beyond" : "60 bytes of data, but the file holds 61", ex.Message);
    }

    [Fact]
    public void WrongMagic_WrongType_AndWrongRank_AreRefused()
    {
        using var dir = new TempFolder();
        // A labels file where images are expected, and the reverse.
        Assert.Contains("expected IDX magic 0x00000803", AssertRefused(() => IdxReader.ReadImages(dir.Write("a", LabelsFile))).Message);
        Assert.Contains("expected IDX magic 0x00000801", AssertRefused(() => IdxReader.ReadLabels(dir.Write("b", ImagesFile))).Message);

        byte[] notIdx = [.. ImagesFile];
        notIdx[0] = 0x12;
        Assert.Contains("not an IDX file", AssertRefused(() => IdxReader.Read(dir.Write("c", notIdx))).Message);

        Assert.Contains("element type 0x0D", AssertRefused(() => IdxReader.Read(dir.Write("d", Idx([1], new byte[4], type: 0x0D)))).Message);
        Assert.Contains("0 dimensions", AssertRefused(() => IdxReader.Read(dir.Write("e", [0, 0, 8, 0]))).Message);
        Assert.Contains("expected IDX magic", AssertRefused(() => IdxReader.ReadImages(dir.Write("f", Idx([2, 30], new byte[60])))).Message);
        Assert.Contains("not an IDX file", AssertRefused(() => IdxReader.Read(dir.Write("g", "hello, world"u8))).Message);
    }

    [Fact]
    public void HeaderDisagreeingWithThePayload_IsRefused()
    {
        using var dir = new TempFolder();
        // Header says 4 images, payload holds 5.
        var ex = AssertRefused(() => IdxReader.ReadImages(dir.Write("a", Idx([4, Rows, Cols], Pixels))));
        Assert.Contains("4 x 3 x 4 = 48 bytes of data, but the file holds 60", ex.Message);
        // Header says 6 images, payload holds 5: raw and gzip.
        AssertRefused(() => IdxReader.ReadImages(dir.Write("b", Idx([6, Rows, Cols], Pixels))));
        ex = AssertRefused(() => IdxReader.ReadImages(dir.Write("c", Gzip(Idx([6, Rows, Cols], Pixels)))));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        using var dir = new TempFolder();
        string labels = dir.Write("labels", Idx([4], LabelBytes[..4]));
        var ex = AssertRefused(() => IdxReader.LoadMnistLike(dir.Write("images", ImagesFile), labels, "x"));
        Assert.Contains(labels, ex.Message);
        Assert.Contains("4 labels", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AbsurdDimensions_AreRefusedWithoutAllocating(bool gzip)
    {
        using var dir = new TempFolder();
        // A bare 16-byte header claiming 2^31 x 2^31 images of 1 x 1 pixel.
        byte[] header = Idx([1u << 31, 1u << 31, 1], []);
        Assert.Equal(16, header.Length);
        var ex = AssertRefused(() => IdxReader.ReadImages(dir.Write("absurd", gzip ? Gzip(header) : header)), maxAllocatedBytes: 1 << 20);
        Assert.Contains("above the limit", ex.Message);

        // Overflowing products of individually modest dimensions.
        AssertRefused(() => IdxReader.Read(dir.Write("product", Idx([1 << 16, 1 << 16, 1 << 16, 1 << 16], []))), 1 << 20);
        AssertRefused(() => IdxReader.Read(dir.Write("zero", Idx([0, 1 << 20, 1 << 20], []))), 1 << 20);
    }

    [Fact]
    public void SaneHeaderClaimingMoreThanTheFileCanHold_IsRefusedWithoutAllocating()
    {
        using var dir = new TempFolder();
        // 2^28 bytes is within the element limit, but no 40-byte gzip file inflates that far,
        // and no 16-byte raw file holds it.
        byte[] header = Idx([1 << 12, 1 << 8, 1 << 8], []);
        var ex = AssertRefused(() => IdxReader.ReadImages(dir.Write("bomb.gz", Gzip(header))), maxAllocatedBytes: 1 << 20);
        Assert.Contains("gzip file can hold", ex.Message);
        AssertRefused(() => IdxReader.ReadImages(dir.Write("raw", header)), maxAllocatedBytes: 1 << 20);
    }

    [Fact]
    public void CorruptGzipData_IsADataFormatException()
    {
        using var dir = new TempFolder();
        byte[] gz = Gzip(ImagesFile);
        int refused = 0;
        for (int i = 10; i < gz.Length; i++)
        {
            byte[] bad = [.. gz];
            bad[i] ^= 0x5A;
            string path = dir.Write($"bad{i}.gz", bad);
            // A flip in unused padding bits may still decode to the same valid file; all others must be refused cleanly.
            try { Assert.Equal(Pixels, IdxReader.ReadImages(path).Data); }
            catch (Exception ex) { Assert.IsType<DataFormatException>(ex); refused++; }
        }
        Assert.True(refused > (gz.Length - 10) * 3 / 4, $"only {refused} of {gz.Length - 10} corruptions refused");
    }
}
