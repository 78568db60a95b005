using GanSharp.Data;
using GanSharp.Figures;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class DataLocatorTests
{
    private const string FashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>A tiny MNIST-style pair whose image count tells the tests which copy was loaded.</summary>
    private static void WriteMnist(TempFolder dir, string folder, int count, string prefix = "train", bool gzip = true)
    {
        string suffix = gzip ? ".gz" : "";
        byte[] images = Idx([(uint)count, 2, 2], new byte[count * 4]);
        byte[] labels = Idx([(uint)count], new byte[count]);
        dir.Write($"{folder}/{prefix}-images-idx3-ubyte{suffix}", gzip ? Gzip(images) : images);
        dir.Write($"{folder}/{prefix}-labels-idx1-ubyte{suffix}", gzip ? Gzip(labels) : labels);
    }

    private static DataLocator Locator(TempFolder dir, string? dataDir, Dictionary<string, string>? env = null) =>
        new(dataDir, name => env is not null && env.TryGetValue(name, out string? v) ? v : null,
            userProfile: dir.Path("home"), systemRoot: dir.Path("system"));

    [Fact]
    public void SearchOrder_IsDataArgument_Environment_Cache_ThenSystem()
    {
        using var dir = new TempFolder();
        WriteMnist(dir, "explicit/mnist", 1);
        WriteMnist(dir, "env/mnist", 2);
        WriteMnist(dir, "xdg/gansharp/mnist", 3);
        WriteMnist(dir, "system/mnist", 4);
        var env = new Dictionary<string, string> { ["GANSHARP_DATA"] = dir.Path("env"), ["XDG_CACHE_HOME"] = dir.Path("xdg") };

        Assert.Equal(1, Locator(dir, dir.Path("explicit"), env).Read("mnist").Count);
        Assert.Equal(2, Locator(dir, null, env).Read("mnist").Count);
        env.Remove("GANSHARP_DATA");
        Assert.Equal(3, Locator(dir, null, env).Read("mnist").Count);
        env.Remove("XDG_CACHE_HOME");
        WriteMnist(dir, "home/.cache/gansharp/mnist", 5, gzip: false);
        Assert.Equal(5, Locator(dir, null, env).Read("mnist").Count);
        Directory.Delete(dir.Path("home/.cache"), recursive: true);
        Assert.Equal(4, Locator(dir, null, env).Read("mnist").Count);
        Assert.Equal(dir.Path("system/mnist"), Locator(dir, null, env).FindFolder("mnist"));
    }

    [Fact]
    public void DataArgument_MayBeTheDatasetFolderItself_AndRelativeXdgIsIgnored()
    {
        using var dir = new TempFolder();
        WriteMnist(dir, "mine", 3, prefix: "t10k");
        Assert.Equal(dir.Path("mine"), Locator(dir, dir.Path("mine")).FindFolder("fashion-mnist", "test"));

        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "relative/cache" };
        var folders = Locator(dir, null, env).SearchFolders("mnist").Select(f => f.Folder).ToList();
        Assert.Contains(Path.Combine(dir.Path("home"), ".cache", "gansharp", "mnist"), folders);
    }

    [Fact]
    public void TestSplit_AndDottedFileNames_AreFound()
    {
        using var dir = new TempFolder();
        WriteMnist(dir, "system/fashion-mnist", 2);
        WriteMnist(dir, "system/fashion-mnist", 3, prefix: "t10k");
        Dataset test = Locator(dir, null).Read("fashion-mnist", "test");
        Assert.Equal(3, test.Count);
        Assert.Equal("fashion-mnist/test", test.Name);
        Assert.Equal([1, 2, 2], test.SampleShape);

        dir.Write("system/mnist/train-images.idx3-ubyte", Idx([1, 2, 2], new byte[4]));
        dir.Write("system/mnist/train-labels.idx1-ubyte", Idx([1], [0]));
        Assert.Equal(1, Locator(dir, null).Read("mnist").Count);
    }

    [Fact]
    public void NothingFound_ListsEveryPlaceSearched()
    {
        using var dir = new TempFolder();
        dir.Write("env/mnist/train-images-idx3-ubyte.gz", Gzip(Idx([1, 2, 2], new byte[4]))); // labels missing
        var env = new Dictionary<string, string> { ["GANSHARP_DATA"] = dir.Path("env") };
        var ex = Assert.Throws<FileNotFoundException>(() => Locator(dir, dir.Path("arg"), env).Read("mnist"));

        Assert.Contains(Path.Combine(dir.Path("arg"), "mnist"), ex.Message);
        Assert.Contains(dir.Path("arg") + " (--data)", ex.Message);
        Assert.Contains(Path.Combine(dir.Path("env"), "mnist") + " ($GANSHARP_DATA): no train-labels-idx1-ubyte[.gz]", ex.Message);
        Assert.Contains(Path.Combine(dir.Path("home"), ".cache", "gansharp", "mnist"), ex.Message);
        Assert.Contains(Path.Combine(dir.Path("system"), "mnist"), ex.Message);
        Assert.Contains("folder does not exist", ex.Message);
        Assert.Contains("train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]", ex.Message);
        Assert.Null(Locator(dir, null, env).FindFolder("mnist"));
    }

    [Fact]
    public void Cifar10_IsFoundInItsBatchesSubfolder()
    {
        using var dir = new TempFolder();
        for (int i = 1; i <= 5; i++)
            dir.Write($"system/cifar10/cifar-10-batches-bin/data_batch_{i}.bin", Cifar([(byte)i], new byte[3072]));
        Dataset train = Locator(dir, null).Read("cifar10");
        Assert.Equal([1, 2, 3, 4, 5], train.Labels!);
        Assert.Equal([3, 32, 32], train.SampleShape);
        var ex = Assert.Throws<FileNotFoundException>(() => Locator(dir, null).Read("cifar10", "test"));
        Assert.Contains("test_batch.bin", ex.Message);
    }

    [Fact]
    public void Mnist10k_HasOneSplit_WithItsOwnFileNames()
    {
        using var dir = new TempFolder();
        WriteMnist(dir, "d", 2, prefix: "mnist10k");
        Assert.Equal(2, Locator(dir, dir.Path("d")).Read("mnist10k").Count);
        Assert.Equal(["train"], DataLocator.Splits("mnist10k"));
        Assert.Throws<ArgumentException>(() => Locator(dir, null).Read("mnist10k", "test"));
        Assert.Throws<ArgumentException>(() => Locator(dir, null).Read("mnist", "validation"));
    }

    [Fact]
    public void OtherNames_AreFoldersOfPngImages()
    {
        using var dir = new TempFolder();
        for (int i = 0; i < 3; i++) PngWriter.Write(dir.Path($"home/.cache/gansharp/faces/train/{i}.png"), 2, 2, 1, new byte[4]);
        PngWriter.Write(dir.Path("home/.cache/gansharp/faces/test/0.png"), 2, 2, 1, new byte[4]);
        Assert.Equal(3, Locator(dir, null).Read("faces").Count);
        Assert.Equal(1, Locator(dir, null).Read("faces", "test").Count);

        Assert.Throws<ArgumentException>(() => Locator(dir, null).Read("../etc"));
        Assert.Throws<ArgumentException>(() => Locator(dir, null).Read(""));
    }

    [Theory]
    [InlineData(new[] { "train", "--data", "/d" }, "/d")]
    [InlineData(new[] { "--data=/e", "--steps", "3" }, "/e")]
    [InlineData(new[] { "train" }, null)]
    public void DataDirArgument_IsParsed(string[] args, string? expected) =>
        Assert.Equal(expected, DataLocator.DataDirArgument(args));

    [FactWhenFilesExist(FashionFolder + "/t10k-images-idx3-ubyte.gz", FashionFolder + "/t10k-labels-idx1-ubyte.gz",
        FashionFolder + "/train-images-idx3-ubyte.gz", FashionFolder + "/train-labels-idx1-ubyte.gz")]
    public void InstalledFashionMnist_IsFoundInTheDebianLocation()
    {
        using var dir = new TempFolder();
        var locator = new DataLocator(null, _ => null, userProfile: dir.Path("home"));
        Assert.Equal(FashionFolder, locator.FindFolder("fashion-mnist", "train"));
        Assert.Equal(FashionFolder, locator.FindFolder("fashion-mnist", "test"));
    }
}
