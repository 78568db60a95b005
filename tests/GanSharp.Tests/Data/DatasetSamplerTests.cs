using GanSharp.Data;
using GanSharp.Tensors;

namespace GanSharp.Tests.Data;

public class DatasetSamplerTests
{
    private static readonly Rng Unused = new(0);

    /// <summary>The example ids (first coordinate) of the next <paramref name="batches"/> batches.</summary>
    private static int[] Draw(DatasetSampler sampler, int batches, int batch)
    {
        var buffer = new float[batch * sampler.Dimension];
        var ids = new List<int>();
        for (int b = 0; b < batches; b++)
        {
            sampler.NextBatch(buffer, batch, Unused);
            for (int i = 0; i < batch; i++) ids.Add((int)buffer[i * sampler.Dimension]);
        }
        return [.. ids];
    }

    [Fact]
    public void SameSeed_SameBatches_DifferentSeed_DifferentBatches()
    {
        Dataset d = DatasetTests.Numbered(20);
        Assert.Equal(Draw(new DatasetSampler(d, 1), 12, 7), Draw(new DatasetSampler(d, 1), 12, 7));
        Assert.NotEqual(Draw(new DatasetSampler(d, 1), 12, 7), Draw(new DatasetSampler(d, 2), 12, 7));
    }

    [Fact]
    public void TheRngArgument_DoesNotChangeTheOrder()
    {
        Dataset d = DatasetTests.Numbered(20);
        var a = new DatasetSampler(d, 5);
        var b = new DatasetSampler(d, 5);
        var bufA = new float[8 * 2];
        var bufB = new float[8 * 2];
        a.NextBatch(bufA, 8, new Rng(1));
        b.NextBatch(bufB, 8, new Rng(2));
        Assert.Equal(bufA, bufB);
    }

    [Theory]
    [InlineData(12, 4)] // batches fill epochs exactly
    [InlineData(10, 3)] // batches straddle epochs
    [InlineData(5, 8)]  // batch larger than the dataset
    public void EveryEpoch_VisitsEveryExampleExactlyOnce_InAFreshOrder(int count, int batch)
    {
        Dataset d = DatasetTests.Numbered(count);
        var sampler = new DatasetSampler(d, 9);
        const int epochs = 6;
        int[] stream = Draw(sampler, epochs * count / batch, batch);
        Assert.Equal(epochs * count / batch * batch / count, sampler.Epoch);

        var orders = new HashSet<string>();
        for (int e = 0; e < stream.Length / count; e++)
        {
            int[] epoch = stream[(e * count)..((e + 1) * count)];
            Assert.Equal(Enumerable.Range(0, count), epoch.Order());
            orders.Add(string.Join(",", epoch));
        }
        Assert.True(orders.Count > 1, "every epoch had the same order: not reshuffled");
    }

    [Fact]
    public void EpochAndStepsPerEpoch_Count()
    {
        var sampler = new DatasetSampler(DatasetTests.Numbered(10), 3);
        Assert.Equal(4, sampler.StepsPerEpoch(3));
        Assert.Equal(2, sampler.StepsPerEpoch(5));
        Assert.Equal(1, sampler.StepsPerEpoch(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.StepsPerEpoch(0));

        Assert.Equal(0, sampler.Epoch);
        Draw(sampler, 1, 5);
        Assert.Equal(0, sampler.Epoch);
        Draw(sampler, 1, 5);
        Assert.Equal(1, sampler.Epoch);
        Draw(sampler, 5, 5);
        Assert.Equal(3, sampler.Epoch);
    }

    [Fact]
    public void RestoredState_GivesIdenticalNextBatches()
    {
        Dataset d = DatasetTests.Numbered(13);
        var sampler = new DatasetSampler(d, 77);
        Draw(sampler, 5, 4); // mid-epoch, after one reshuffle
        SamplerState state = sampler.GetState();
        int[] expected = Draw(sampler, 20, 4);

        // A fresh sampler, even with another seed, resumes exactly.
        var resumed = new DatasetSampler(d, 1);
        resumed.SetState(state);
        Assert.Equal(state.Epoch, resumed.Epoch);
        Assert.Equal(expected, Draw(resumed, 20, 4));

        // The snapshot is a copy: drawing did not change it, and it can be restored again.
        sampler.SetState(state);
        Assert.Equal(expected, Draw(sampler, 20, 4));
    }

    [Fact]
    public void CheckpointState_ThroughIStatefulDataSource_RoundTrips()
    {
        Dataset d = DatasetTests.Numbered(11);
        IStatefulDataSource sampler = new DatasetSampler(d, ulong.MaxValue - 3); // a seed above long.MaxValue
        Draw((DatasetSampler)sampler, 4, 5);
        var saved = sampler.GetState().ToDictionary(e => e.Name, e => e.Values);
        Assert.Equal(["epoch", "permutation", "position", "seed"], saved.Keys.Order());
        int[] expected = Draw((DatasetSampler)sampler, 10, 5);

        IStatefulDataSource resumed = new DatasetSampler(d, 0);
        resumed.SetState(saved);
        Assert.Equal(expected, Draw((DatasetSampler)resumed, 10, 5));

        saved.Remove("seed");
        Assert.Contains("'seed'", Assert.Throws<ArgumentException>(() => resumed.SetState(saved)).Message);
    }

    [Fact]
    public void SetState_RefusesStatesThatDoNotFit()
    {
        var sampler = new DatasetSampler(DatasetTests.Numbered(4), 1);
        SamplerState good = sampler.GetState();
        Assert.Throws<ArgumentException>(() => sampler.SetState(good with { Permutation = [0, 1, 2] }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(good with { Permutation = [0, 1, 2, 2] }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(good with { Permutation = [0, 1, 2, 4] }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(good with { Position = 4 }));
        Assert.Throws<ArgumentException>(() => sampler.SetState(good with { Epoch = -1 }));
        Assert.Equal(good.Permutation, sampler.GetState().Permutation); // unchanged by the failures
    }

    [Fact]
    public void LabelledBatches_MatchTheirExamples()
    {
        Dataset d = DatasetTests.Numbered(9);
        var sampler = new DatasetSampler(d, 4);
        var x = new float[7 * 2];
        var y = new int[7];
        for (int b = 0; b < 5; b++)
        {
            sampler.NextBatch(x, y, 7);
            for (int i = 0; i < 7; i++) Assert.Equal((int)x[2 * i] % 3, y[i]);
        }
        var unlabelled = new DatasetSampler(new Dataset("u", new float[4], [2]), 1);
        Assert.Throws<InvalidOperationException>(() => unlabelled.NextBatch(x, y, 2));
    }

    [Fact]
    public void NextBatch_AllocatesNothing_AcrossEpochs()
    {
        var sampler = new DatasetSampler(DatasetTests.Numbered(50), 8);
        var buffer = new float[16 * 2];
        var labels = new int[16];
        sampler.NextBatch(buffer, 16, Unused); // warm up (JIT)
        sampler.NextBatch(buffer, labels, 16);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sampler.NextBatch(buffer, 16, Unused);
            sampler.NextBatch(buffer, labels, 16);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sampler.Epoch > 600);
    }

    [Fact]
    public void Construction_AndBatchArguments_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new DatasetSampler(new Dataset("e", [], [2]), 1));
        var sampler = new DatasetSampler(DatasetTests.Numbered(4), 1);
        Assert.Throws<ArgumentException>(() => sampler.NextBatch(new float[5], 3, Unused));
        Assert.Equal(2, sampler.Dimension);
    }
}
