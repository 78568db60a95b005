using GanSharp.Data;

namespace GanSharp.Tests.Data;

/// <summary>The one test on real data: the 10,000-image MNIST subset, when this machine has it.</summary>
public class MnistSubsetTests
{
    private const string Folder = "/work/shared/data/mnist10k";

    [FactWhenFilesExist(Folder + "/mnist10k-images-idx3-ubyte.gz", Folder + "/mnist10k-labels-idx1-ubyte.gz")]
    public void RealSubset_LoadsThroughTheLocator_WithMnistStatistics()
    {
        Dataset d = DataLocator.Load("mnist10k", Folder);

        Assert.Equal("mnist10k", d.Name);
        Assert.Equal(10_000, d.Count);
        Assert.Equal([1, 28, 28], d.SampleShape);
        Assert.Equal(10, d.ClassCount);
        var perClass = d.Labels!.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enumerable.Range(0, 10), c => Assert.InRange(perClass[c], 800, 1200));

        // MNIST's well-known pixel mean is 0.1307 (on [0, 1]); its corners are blank.
        Assert.Equal(0, d.Data.Min());
        Assert.Equal(1, d.Data.Max());
        Assert.InRange(d.Data.Average(), 0.12, 0.14);
        Assert.All(Enumerable.Range(0, d.Count), i => Assert.Equal(0, d.Example(i)[0]));

        var sampler = new DatasetSampler(d, seed: 1);
        var batch = new float[100 * 784];
        sampler.NextBatch(batch, 100, new GanSharp.Tensors.Rng(0));
        Assert.InRange(batch.Average(), 0.09, 0.17);
    }
}
