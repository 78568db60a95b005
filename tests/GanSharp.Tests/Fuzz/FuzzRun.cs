using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace GanSharp.Tests.Fuzz;

/// <summary>
/// Runs a reader on generated malformed inputs (an FsCheck property): every input must either parse
/// or end in the reader's documented exception, within a time and an allocation bound.
/// </summary>
internal static class FuzzRun
{
    public const int Cases = 10_000;

    /// <summary>Fixed, so every run tries the same inputs and a failure replays; change it to explore new ones.</summary>
    public const ulong Seed = 0x6A5_5EED;

    /// <summary>Allocation any read may make whatever the input: stream buffers (64 KiB each), exception messages.</summary>
    public const long BaseAllocation = 256 << 10;

    /// <summary>A whole fuzz test's limit, so a reader that loops forever fails the test instead of hanging the suite.</summary>
    public const int TestTimeoutMs = 120_000;

    /// <summary>Far above any honest case (well under a millisecond): a case this slow is a hang in the making.</summary>
    private static readonly TimeSpan MaxCaseTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks <paramref name="cases"/> inputs from <paramref name="inputs"/>. <paramref name="prepare"/> (not
    /// measured) stages an input, e.g. writes it to a file; <paramref name="read"/> then reads it and may
    /// allocate at most <paramref name="allocationLimit"/> bytes. Runs on a worker thread under
    /// <see cref="TestTimeoutMs"/>; logs how many inputs were accepted and refused.
    /// </summary>
    public static async Task<Outcomes> ReadsOrRefusesAsync<TInput, TDocumented>(
        ITestOutputHelper output, Gen<TInput> inputs, Action<TInput> read, Func<TInput, long> allocationLimit, Action<TInput>? prepare = null,
        int cases = Cases)
        where TDocumented : Exception
    {
        var outcomes = new Outcomes();
        var watch = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var run = Task.Run(() =>
        {
            var property = Prop.ForAll(Arb.From(inputs), input => CheckOne<TInput, TDocumented>(input, read, allocationLimit, prepare, outcomes));
            var replay = new Replay(new Rnd(Seed), FSharpOption<int>.None);
            var config = Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true).WithReplay(FSharpOption<Replay>.Some(replay));
            try
            {
                Check.One(config, property);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Fuzz failure (FuzzRun.Seed = 0x{Seed:X}, replayable): {e.Message}");
            }
        });
        if (await Task.WhenAny(run, Task.Delay(TestTimeoutMs)) != run)
            throw new TimeoutException($"Fuzzing did not finish within {TestTimeoutMs} ms (FuzzRun.Seed = 0x{Seed:X}): a reader hangs or is far too slow.");
        await run;
        output.WriteLine($"{outcomes.Accepted + outcomes.Refused} cases: {outcomes.Accepted} accepted, {outcomes.Refused} refused; {watch.ElapsedMilliseconds} ms ({outcomes.ReadTime.TotalMilliseconds:F0} of them reading), process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:F0} ms");
        return outcomes;
    }

    /// <summary>
    /// Replaces a file's content in place, for readers that only take paths. File.WriteAllBytes truncates
    /// to zero first, which makes ext4 flush on close (auto_da_alloc): about 100 times slower.
    /// </summary>
    public static void Overwrite(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }

    private static void CheckOne<TInput, TDocumented>(TInput input, Action<TInput> read, Func<TInput, long> allocationLimit, Action<TInput>? prepare, Outcomes outcomes)
        where TDocumented : Exception
    {
        prepare?.Invoke(input);
        long limit = allocationLimit(input);
        var watch = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? thrown = null;
        try { read(input); }
        catch (Exception e) { thrown = e; }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        watch.Stop();

        if (thrown is not null and not TDocumented)
            throw new Xunit.Sdk.XunitException($"threw {thrown.GetType().Name}, not {typeof(TDocumented).Name}: {thrown}");
        if (allocated > limit)
            throw new Xunit.Sdk.XunitException($"allocated {allocated} bytes, above the {limit} the input justifies ({(thrown is null ? "accepted" : "refused: " + thrown.Message)})");
        if (watch.Elapsed > MaxCaseTime)
            throw new Xunit.Sdk.XunitException($"took {watch.ElapsedMilliseconds} ms");
        if (thrown is null) outcomes.Accepted++;
        else outcomes.Refused++;
        outcomes.ReadTime += watch.Elapsed;
    }

    /// <summary>How many inputs the reader accepted and refused; a generator that only ever produces one kind tests little.</summary>
    public sealed class Outcomes
    {
        public int Accepted { get; set; }
        public int Refused { get; set; }
        public TimeSpan ReadTime { get; set; }
    }
}
