using GanSharp.Data;
using GanSharp.Figures;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class ImageFolderReaderTests
{
    private const int W = 4, H = 3;

    private static byte[] WritePng(TempFolder dir, string relative, int channels, int seed, int width = W, int height = H)
    {
        byte[] pixels = RandomBytes(width * height * channels, seed);
        PngWriter.Write(dir.Path(relative), width, height, channels, pixels);
        return pixels;
    }

    [Fact]
    public void FlatFolderOfGreyImages_LoadsUnlabelled_InNameOrder()
    {
        using var dir = new TempFolder();
        byte[] b = WritePng(dir, "faces/b.png", 1, seed: 2);
        byte[] a = WritePng(dir, "faces/a.png", 1, seed: 1);
        byte[] c = WritePng(dir, "faces/c.PNG", 1, seed: 3);
        File.WriteAllText(dir.Path("faces/README.txt"), "not an image");

        Dataset d = ImageFolderReader.Load(dir.Path("faces"), "faces");

        Assert.Equal(3, d.Count);
        Assert.Equal([1, H, W], d.SampleShape);
        Assert.Null(d.Labels);
        Assert.Equal(a.Concat(b).Concat(c).Select(v => v / 255f), d.Data);
    }

    [Fact]
    public void ClassSubfolders_GiveLabelsInSortedFolderOrder_AndChwPlanes()
    {
        using var dir = new TempFolder();
        byte[] zebra = WritePng(dir, "set/zebra/1.png", 3, seed: 4);
        byte[] cat0 = WritePng(dir, "set/cat/0.png", 3, seed: 5);
        byte[] cat1 = WritePng(dir, "set/cat/1.png", 3, seed: 6);
        WritePng(dir, "set/.hidden/x.png", 1, seed: 7, width: 9); // skipped: would not even match

        Dataset d = ImageFolderReader.Load(dir.Path("set"), "animals");

        Assert.Equal([3, H, W], d.SampleShape);
        Assert.Equal([0, 0, 1], d.Labels!);
        Assert.Equal(2, d.ClassCount);
        Assert.Equal(["cat", "zebra"], d.ClassNames!);
        // Interleaved RGB in the file, planar CHW in the dataset.
        int x = 2, y = 1;
        for (int ch = 0; ch < 3; ch++)
        {
            Assert.Equal(cat1[(y * W + x) * 3 + ch] / 255f, d.Example(1)[ch * H * W + y * W + x]);
            Assert.Equal(zebra[(y * W + x) * 3 + ch] / 255f, d.Example(2)[ch * H * W + y * W + x]);
        }
        Assert.Equal(cat0[0] / 255f, d.Example(0)[0]);
    }

    [Fact]
    public void Grayscale_ConvertsRgbWithBt601Luma_AndAlphaIsDropped()
    {
        using var dir = new TempFolder();
        byte[] rgb = WritePng(dir, "mix/a.png", 3, seed: 8);
        byte[] grey = WritePng(dir, "mix/b.png", 1, seed: 9);
        byte[] rgba = WritePng(dir, "mix/c.png", 4, seed: 10);

        Dataset d = ImageFolderReader.Load(dir.Path("mix"), "mix", grayscale: true);

        Assert.Equal([1, H, W], d.SampleShape);
        for (int p = 0; p < W * H; p++)
        {
            Assert.Equal((0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2]) / 255, d.Example(0)[p], 1e-5);
            Assert.Equal(grey[p] / 255f, d.Example(1)[p]);
            Assert.Equal((0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2]) / 255, d.Example(2)[p], 1e-5);
        }

        // Without conversion, RGBA loads as RGB.
        using var only = new TempFolder();
        byte[] rgbaOnly = WritePng(only, "x/a.png", 4, seed: 11);
        Dataset c = ImageFolderReader.Load(only.Path("x"), "x");
        Assert.Equal([3, H, W], c.SampleShape);
        Assert.Equal(rgbaOnly[4 + 2] / 255f, c.Example(0)[2 * H * W + 1]); // pixel 1, blue
    }

    [Fact]
    public void SizeMismatch_NamesTheFirstMismatchingFile()
    {
        using var dir = new TempFolder();
        WritePng(dir, "s/a.png", 1, seed: 1);
        WritePng(dir, "s/b.png", 1, seed: 2);
        WritePng(dir, "s/c.png", 1, seed: 3, width: W + 1);
        WritePng(dir, "s/d.png", 1, seed: 4, height: H + 1);
        var ex = AssertRefused(() => ImageFolderReader.Load(dir.Path("s"), "s"));
        Assert.Contains(dir.Path("s/c.png"), ex.Message);
        Assert.Contains($"{W + 1}x{H}", ex.Message);
        Assert.DoesNotContain("d.png", ex.Message);
    }

    [Fact]
    public void ChannelMismatch_IsRefused_UnlessConvertingToGrey()
    {
        using var dir = new TempFolder();
        WritePng(dir, "c/a.png", 1, seed: 1);
        WritePng(dir, "c/b.png", 3, seed: 2);
        var ex = AssertRefused(() => ImageFolderReader.Load(dir.Path("c"), "c"));
        Assert.Contains(dir.Path("c/b.png"), ex.Message);
        Assert.Contains("grayscale", ex.Message);
        Assert.Equal(2, ImageFolderReader.Load(dir.Path("c"), "c", grayscale: true).Count);
    }

    [Fact]
    public void CorruptPngs_AndEmptyFolders_AreDataFormatExceptions()
    {
        using var dir = new TempFolder();
        WritePng(dir, "bad/a.png", 1, seed: 1);
        byte[] png = PngWriter.Encode(W, H, 1, new byte[W * H]);
        dir.Write("bad/b.png", png[..(png.Length - 5)]);
        var ex = AssertRefused(() => ImageFolderReader.Load(dir.Path("bad"), "bad"));
        Assert.Contains("b.png", ex.Message);
        Assert.IsType<PngFormatException>(ex.InnerException);

        Directory.CreateDirectory(dir.Path("empty"));
        AssertRefused(() => ImageFolderReader.Load(dir.Path("empty"), "empty"));
        Directory.CreateDirectory(dir.Path("classes/none"));
        Assert.Contains("none", AssertRefused(() => ImageFolderReader.Load(dir.Path("classes"), "c")).Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolderReader.Load(dir.Path("missing"), "m"));
    }

    [Fact]
    public void ManyBrokenFilesAfterOneLargeImage_DoNotReserveMemoryForThemAll()
    {
        using var dir = new TempFolder();
        const int Side = 1024; // 4 MiB of floats per image, from a PNG of a few KiB
        PngWriter.Write(dir.Path("big/a.png"), Side, Side, 1, new byte[Side * Side]);
        for (int i = 0; i < 30; i++) File.WriteAllBytes(dir.Path($"big/b{i:D2}.png"), [1, 2, 3]);

        // Only decoded images justify memory: the 30 three-byte files must not get 30 * 4 MiB up front.
        AssertRefused(() => ImageFolderReader.Load(dir.Path("big"), "big"), maxAllocatedBytes: 4 * 4L * Side * Side);
    }
}
