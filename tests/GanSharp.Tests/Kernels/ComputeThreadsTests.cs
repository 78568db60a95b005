using GanSharp.Kernels;

namespace GanSharp.Tests.Kernels;

[Collection("ComputeThreads")]
public sealed unsafe class ComputeThreadsTests
{
    private struct Hits
    {
        public fixed int Count[64];
        public int NestedParts;
    }

    private static void CountPart(int part, int parts, void* context) => Interlocked.Increment(ref ((Hits*)context)->Count[part]);

    private static void NestedPart(int part, int parts, void* context)
    {
        var hits = (Hits*)context;
        // A nested call must run inline instead of waiting for the (busy) workers.
        Hits inner = default;
        ComputeThreads.Run(3, &CountPart, &inner);
        if (inner.Count[0] == 1 && inner.Count[1] == 1 && inner.Count[2] == 1) Interlocked.Increment(ref hits->NestedParts);
    }

    private static void ThrowOnPartOne(int part, int parts, void* context)
    {
        if (part == 1) throw new InvalidOperationException("part 1 failed");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 5)]
    [InlineData(1, 7)]
    public void Run_RunsEveryPartExactlyOnce(int threads, int parts)
    {
        if (threads > Environment.ProcessorCount) return;
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            for (int repeat = 0; repeat < 200; repeat++)
            {
                Hits hits = default;
                ComputeThreads.Run(parts, &CountPart, &hits);
                for (int p = 0; p < parts; p++) Assert.Equal(1, hits.Count[p]);
                Assert.Equal(0, hits.Count[parts]);
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void Run_NestedCallsRunInline()
    {
        Hits hits = default;
        ComputeThreads.Run(2, &NestedPart, &hits);
        Assert.Equal(2, hits.NestedParts);
    }

    [Fact]
    public void Run_RethrowsAnExceptionFromAWorkerPart_AndStaysUsable()
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = Math.Min(2, Environment.ProcessorCount);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => ComputeThreads.Run(2, &ThrowOnPartOne, null));
            Assert.Equal("part 1 failed", e.Message);
            Hits hits = default;
            ComputeThreads.Run(2, &CountPart, &hits);
            Assert.Equal(1, hits.Count[1]);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void Run_AllocatesNothing_AndSurvivesTheWorkerFallingAsleep()
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = Math.Min(2, Environment.ProcessorCount);
        try
        {
            var hits = new Hits[1];
            fixed (Hits* h = hits)
            {
                nint context = (nint)h;
                Assert.Equal(0, GemmTests.AllocatedBytesInSteadyState(() =>
                {
                    for (int i = 0; i < 500; i++) ComputeThreads.Run(2, &CountPart, (void*)context);
                }));
                int before = hits[0].Count[1];

                Thread.Sleep(20); // past the ~1 ms spin: the worker blocks and must be woken (or its part taken over)
                ComputeThreads.Run(2, &CountPart, h);
                Assert.Equal(before + 1, hits[0].Count[1]);
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void Count_RejectsZero_AndClampsToTheProcessorCount()
    {
        int saved = ComputeThreads.Count;
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.Count = 0);
            ComputeThreads.Count = Environment.ProcessorCount + 1;
            Assert.Equal(Environment.ProcessorCount, ComputeThreads.Count);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }
}
