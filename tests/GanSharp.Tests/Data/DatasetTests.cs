using GanSharp.Data;

namespace GanSharp.Tests.Data;

public class DatasetTests
{
    /// <summary>Example i is the pair (i, -i), labelled i % 3.</summary>
    internal static Dataset Numbered(int count) =>
        new("numbered", [.. Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, -i })], [2],
            [.. Enumerable.Range(0, count).Select(i => i % 3)]);

    [Fact]
    public void Constructor_DerivesCountDimensionAndClassCount()
    {
        var d = new Dataset("img", new float[6 * 12], [1, 3, 4], [0, 1, 4, 1, 0, 0]);
        Assert.Equal(6, d.Count);
        Assert.Equal(12, d.Dimension);
        Assert.Equal([1, 3, 4], d.SampleShape);
        Assert.Equal(5, d.ClassCount);
        Assert.Equal(10, new Dataset("x", new float[4], [2], [0, 1], classCount: 10).ClassCount);
        Assert.Equal(0, new Dataset("x", new float[4], [2]).ClassCount);
        Assert.Equal(0, new Dataset("empty", [], [2]).Count);

        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[5], [2]));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[4], [2, 0]));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[4], [2], [0]));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[4], [2], [0, -1]));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[4], [2], [0, 3], classCount: 3));
    }

    [Fact]
    public void SampleShape_IsACopy()
    {
        var d = new Dataset("x", new float[4], [2]);
        d.SampleShape[0] = 99;
        Assert.Equal([2], d.SampleShape);
    }

    [Fact]
    public void CopyExample_AndExample_ReturnTheRow()
    {
        Dataset d = Numbered(5);
        Span<float> dst = stackalloc float[3];
        d.CopyExample(3, dst);
        Assert.Equal([3f, -3f, 0f], dst.ToArray());
        Assert.Equal([4f, -4f], d.Example(4).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Example(5));
        Assert.Throws<ArgumentException>(() => d.CopyExample(0, new float[1]));
    }

    [Fact]
    public void Subset_CopiesExamplesAndLabels_InTheGivenOrder()
    {
        Dataset d = Numbered(6);
        Dataset s = d.Subset([4, 1, 4]);
        Assert.Equal([4f, -4, 1, -1, 4, -4], s.Data);
        Assert.Equal([1, 1, 1], s.Labels!);
        Assert.Equal(d.ClassCount, s.ClassCount);
        Assert.Equal([2], s.SampleShape);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Subset([6]));
    }

    [Fact]
    public void Split_IsDisjoint_Covering_Sized_AndOrdered()
    {
        Dataset d = Numbered(100);
        var (train, validation, test) = Dataset.Split(d, validation: 15, test: 20, seed: 42);
        Assert.Equal(65, train.Count);
        Assert.Equal(15, validation.Count);
        Assert.Equal(20, test.Count);

        int[] Ids(Dataset part) => [.. Enumerable.Range(0, part.Count).Select(i => (int)part.Example(i)[0])];
        int[] all = [.. Ids(train), .. Ids(validation), .. Ids(test)];
        Assert.Equal(Enumerable.Range(0, 100), all.Order());
        foreach (var part in new[] { train, validation, test })
        {
            Assert.Equal(Ids(part).Order(), Ids(part)); // original order kept
            Assert.Equal(Ids(part).Select(i => i % 3), part.Labels!);
        }
        Assert.Equal("numbered/validation", validation.Name);
    }

    [Fact]
    public void Split_IsDeterministicPerSeed()
    {
        Dataset d = Numbered(50);
        var a = Dataset.Split(d, 10, 10, seed: 7);
        var b = Dataset.Split(d, 10, 10, seed: 7);
        var c = Dataset.Split(d, 10, 10, seed: 8);
        Assert.Equal(a.Test.Data, b.Test.Data);
        Assert.Equal(a.Validation.Data, b.Validation.Data);
        Assert.NotEqual(a.Test.Data, c.Test.Data);

        Assert.Equal(50, Dataset.Split(d, 0, 0, 1).Train.Count);
        Assert.Equal(0, Dataset.Split(d, 20, 30, 1).Train.Count);
        Assert.Throws<ArgumentException>(() => Dataset.Split(d, 30, 21, 1));
        Assert.Throws<ArgumentException>(() => Dataset.Split(d, -1, 0, 1));
    }
}
