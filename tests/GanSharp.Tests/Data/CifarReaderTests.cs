using GanSharp.Data;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class CifarReaderTests
{
    [Fact]
    public void Load_ConcatenatesBatches_KeepsChwLayout_AndScalesPixels()
    {
        using var dir = new TempFolder();
        byte[] imagesA = RandomBytes(2 * 3072, seed: 3), imagesB = RandomBytes(3 * 3072, seed: 4);
        string a = dir.Write("data_batch_1.bin", Cifar([9, 0], imagesA));
        string b = dir.Write("data_batch_2.bin", Cifar([4, 4, 1], imagesB));

        Dataset d = CifarReader.Load([a, b], "cifar-tiny");

        Assert.Equal(5, d.Count);
        Assert.Equal([3, 32, 32], d.SampleShape);
        Assert.Equal([9, 0, 4, 4, 1], d.Labels!);
        Assert.Equal(10, d.ClassCount);
        Assert.Equal("truck", d.ClassNames![9]);
        byte[] all = [.. imagesA, .. imagesB];
        Assert.Equal(all.Select(v => v / 255f), d.Data);

        // Stored CHW: channel c, row y, column x of example 3 is at c*1024 + y*32 + x.
        int c = 2, y = 5, x = 17;
        Assert.Equal(imagesB[3072 + c * 1024 + y * 32 + x] / 255f, d.Example(3)[c * 1024 + y * 32 + x]);
    }

    [Fact]
    public void TruncatedOrPaddedLengths_AreRefused()
    {
        // The reader decides on the length alone, so the header-sized start, every 97th length, and
        // both sides of the record boundary cover it (writing all 3075 lengths takes seconds here).
        using var dir = new TempFolder();
        byte[] file = Cifar([1], RandomBytes(3072, seed: 5));
        string path = dir.Path("data_batch_1.bin");
        var lengths = Enumerable.Range(0, 16).Concat(Enumerable.Range(0, 32).Select(i => i * 97)).Concat(Enumerable.Range(3060, 16));
        foreach (int length in lengths.Where(n => n != file.Length).Distinct())
        {
            File.WriteAllBytes(path, length <= file.Length ? file[..length] : [.. file, .. new byte[length - file.Length]]);
            var ex = AssertRefused(() => CifarReader.Load(path, "x"));
            Assert.Contains(path, ex.Message);
        }
    }

    [Fact]
    public void LabelOutOfRange_IsRefused_NamingTheRecord()
    {
        using var dir = new TempFolder();
        string good = dir.Write("good.bin", Cifar([0], new byte[3072]));
        string bad = dir.Write("bad.bin", Cifar([3, 10], new byte[2 * 3072]));
        var ex = AssertRefused(() => CifarReader.Load([good, bad], "x"));
        Assert.Contains(bad, ex.Message);
        Assert.Contains("record 1 has label 10", ex.Message);
    }
}
