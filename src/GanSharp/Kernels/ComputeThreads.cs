using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics.X86;

namespace GanSharp.Kernels;

/// <summary>
/// A tiny worker pool for compute kernels: <see cref="Count"/> - 1 background threads plus the caller.
/// </summary>
/// <remarks>
/// <para>
/// Why not <c>Parallel.For</c>: it costs 4-8 us per call and allocates; kernels here are called
/// thousands of times per training step on shapes that take 20-2000 us. A worker that spins for
/// about 1 ms after each job picks up the next one in about 1 us. A worker that went to sleep
/// takes 100+ us to wake on a VM, so parts are claimed, not assigned: the caller takes part 0
/// and then any part no worker has claimed yet, and never waits for a worker that is still waking.
/// </para>
/// <para>
/// <see cref="Run"/> is meant to be called from one thread at a time. A call made while the pool
/// is busy (a nested call from inside a body, or a second thread racing the first) does not wait:
/// it runs all its parts inline, in order, on the calling thread. Bodies see the same part indices
/// whoever runs them, so kernels that split their work by part stay deterministic.
/// </para>
/// </remarks>
public static unsafe class ComputeThreads
{
    /// <summary>Most parts one <see cref="Run"/> may have (they are counted in 16 bits).</summary>
    public const int MaxParts = 0xFFFF;

    /// <summary>How long an idle worker spins before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private static int s_count = Math.Min(2, Environment.ProcessorCount);

    // The current job. The caller writes these before publishing s_claim, workers read them after.
    private static delegate*<int, int, void*, void> s_body;
    private static void* s_context;
    private static int s_threads;        // workers with a smaller index help with this job

    /// <summary>
    /// (generation &lt;&lt; 32) | (parts &lt;&lt; 16) | next unclaimed part. A new generation is what wakes
    /// the workers; a part is claimed by a compare-and-swap on the whole word, so a worker that
    /// arrives late, holding an older generation, can never claim a part of a newer job.
    /// </summary>
    private static long s_claim;
    private static int s_done;           // parts of the current job finished
    private static int s_busy;           // 1 while a Run owns the workers
    private static int s_sleepers;       // workers blocked (or about to block) in Monitor.Wait
    private static ExceptionDispatchInfo? s_error;

    private static readonly object s_sleepLock = new();
    private static readonly object s_startLock = new();
    private static int s_workersStarted;

    /// <summary>
    /// Threads a kernel may use, the caller included: 1..<see cref="Environment.ProcessorCount"/>,
    /// default min(2, ProcessorCount). Set it to 1 for single-threaded kernels. Values above
    /// ProcessorCount are clamped to it (more threads than cores only adds contention), so code
    /// that asks for 2 threads also runs on a 1-core machine.
    /// </summary>
    public static int Count
    {
        get => Volatile.Read(ref s_count);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_count, Math.Min(value, Environment.ProcessorCount));
        }
    }

    /// <summary>
    /// Whether a <see cref="Run"/> owns the workers now. A kernel called from inside a part sees true:
    /// its own Run would run every part inline on this thread, so it should not split its work at all.
    /// </summary>
    internal static bool IsBusy => Volatile.Read(ref s_busy) != 0;

    /// <summary>
    /// Runs <c>body(part, parts, context)</c> once for every part in 0..parts-1, on up to
    /// <see cref="Count"/> threads (the caller included, which always runs part 0), and returns when
    /// all are done. No managed allocation. An exception from a body is rethrown here once all
    /// parts have finished.
    /// </summary>
    /// <param name="parts">Number of parts, 0..<see cref="MaxParts"/>; usually <see cref="Count"/>.</param>
    /// <param name="body">Static function; its result must not depend on which thread runs a part.</param>
    /// <param name="context">Passed through untouched (typically a pointer to a struct on the caller's stack).</param>
    public static void Run(int parts, delegate*<int, int, void*, void> body, void* context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, MaxParts);
        if (body == null) throw new ArgumentNullException(nameof(body));
        int threads = Math.Min(Count, parts);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            // One part, one thread, a nested or a concurrent call: run inline, in order.
            for (int p = 0; p < parts; p++) body(p, parts, context);
            return;
        }

        try
        {
            EnsureWorkers(threads - 1);
            s_body = body;
            s_context = context;
            s_threads = threads;
            s_done = 0;
            long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
            // Publish with part 0 already claimed by us (a full fence: the fields above are visible first).
            Interlocked.Exchange(ref s_claim, (generation << 32) | ((long)parts << 16) | 1);
            if (Volatile.Read(ref s_sleepers) != 0)
            {
                lock (s_sleepLock) Monitor.PulseAll(s_sleepLock);
            }

            RunPart(body, 0, parts, context);
            RunClaimedParts(generation, body, context); // including those of a worker still waking up

            // What is left is already running on a worker, about as long as what we just did.
            while (Volatile.Read(ref s_done) != parts) Pause();
        }
        finally
        {
            ExceptionDispatchInfo? error = s_error;
            s_error = null;
            Volatile.Write(ref s_busy, 0);
            error?.Throw();
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="generation"/> until none is left.</summary>
    private static void RunClaimedParts(long generation, delegate*<int, int, void*, void> body, void* context)
    {
        while (true)
        {
            long word = Volatile.Read(ref s_claim);
            int parts = (int)((word >> 16) & 0xFFFF), next = (int)(word & 0xFFFF);
            if (word >> 32 != generation || next >= parts) return;
            if (Interlocked.CompareExchange(ref s_claim, word + 1, word) == word) RunPart(body, next, parts, context);
        }
    }

    private static void RunPart(delegate*<int, int, void*, void> body, int part, int parts, void* context)
    {
        try
        {
            body(part, parts, context);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
        }
        Interlocked.Increment(ref s_done); // a full fence: the part's writes are visible to the caller
    }

    private static void EnsureWorkers(int workers)
    {
        if (Volatile.Read(ref s_workersStarted) >= workers) return;
        lock (s_startLock)
        {
            while (s_workersStarted < workers)
            {
                int index = s_workersStarted + 1;
                // The generation before this Run publishes its job: a worker that starts late must
                // still see that job as new.
                long seen = Volatile.Read(ref s_claim) >> 32;
                var thread = new Thread(() => WorkerLoop(index, seen))
                {
                    IsBackground = true, // never keeps the process alive
                    Name = $"GanSharp compute {index}",
                };
                thread.Start();
                s_workersStarted = index;
            }
        }
    }

    private static void WorkerLoop(int index, long seen)
    {
        while (true)
        {
            seen = WaitForNewGeneration(seen);
            // These may already belong to a newer job; then every claim below fails and nothing runs.
            var body = s_body;
            void* context = s_context;
            if (index < Volatile.Read(ref s_threads)) RunClaimedParts(seen, body, context);
        }
    }

    /// <summary>Spins about 1 ms for a generation other than <paramref name="seen"/>, then blocks.</summary>
    private static long WaitForNewGeneration(long seen)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            long generation = Volatile.Read(ref s_claim) >> 32;
            if (generation != seen) return generation;
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                Pause();
                continue;
            }

            // Announce before the last check (both full fences): either Run sees s_sleepers != 0 and
            // pulses, or we see its new generation here.
            Interlocked.Increment(ref s_sleepers);
            lock (s_sleepLock)
            {
                while (Volatile.Read(ref s_claim) >> 32 == seen) Monitor.Wait(s_sleepLock);
            }
            Interlocked.Decrement(ref s_sleepers);
            start = Stopwatch.GetTimestamp();
        }
    }

    private static void Pause()
    {
        if (X86Base.IsSupported) X86Base.Pause();
        else Thread.SpinWait(1);
    }
}
