using System.Diagnostics;
using System.Globalization;
using GanSharp.Kernels;

namespace GanSharp.Benchmarks;

/// <summary>
/// SGEMM throughput on the shapes of shared/reference-bench/gemm_bench.py, timed the same way:
/// two warm-up calls, an inner loop calibrated to at least --min-time seconds, --samples timed
/// samples, median reported. GFLOPS = 2*M*K*N / time.
/// </summary>
/// <remarks>
/// Usage: gemm [--threads 1,2] [--samples 7] [--min-time 0.15] [--filter TEXT]
/// Prints, per shape and thread count:
///   RESULT gemm_MxKxN_Tt G GFLOPS       C = A * B                  (np.dot / torch.mm)
///   RESULT gemm_lin_MxKxN_Tt G GFLOPS   C = A * W^T + bias, W [N,K] (F.linear)
///   RESULT gemm_linpacked_MxKxN_Tt G GFLOPS   the same with W packed once (<see cref="PackedB"/>)
/// plus what the pool adds to a call whose parts take 5 us each: RESULT compute_threads_dispatch_Tt US us.
/// </remarks>
internal static class GemmBenchmark
{
    // (label, M, K, N): C[M,N] = A[M,K] @ B[K,N], as in gemm_bench.py.
    private static readonly (string Label, int M, int K, int N)[] Shapes =
    [
        ("square 1024", 1024, 1024, 1024),
        ("square 2048", 2048, 2048, 2048),
        ("G h0: (100x100)@(100x1200)", 100, 100, 1200),
        ("G h1: (100x1200)@(1200x1200)", 100, 1200, 1200),
        ("G out: (100x1200)@(1200x784)", 100, 1200, 784),
        ("D maxout0: (100x784)@(784x1200)", 100, 784, 1200),
        ("D maxout1: (100x240)@(240x1200)", 100, 240, 1200),
        ("b64: (64x1200)@(1200x1200)", 64, 1200, 1200),
        ("b256: (256x1200)@(1200x1200)", 256, 1200, 1200),
        ("bwd dW: (1200x100)@(100x1200)", 1200, 100, 1200),
        ("D fwd b200: (200x784)@(784x1200)", 200, 784, 1200),
    ];

    public static int Run(string[] args)
    {
        int[] threadCounts = [1, Math.Min(2, Environment.ProcessorCount)];
        int samples = 7;
        double minTime = 0.15;
        string? filter = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).Distinct().ToArray(); break;
                case "--samples": samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--min-time": minTime = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--filter": filter = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: gemm [--threads 1,2] [--samples 7] [--min-time 0.15] [--filter TEXT]");
                    return 2;
            }
        }

        int saved = ComputeThreads.Count;
        try
        {
            foreach (int threads in threadCounts)
            {
                ComputeThreads.Count = threads;
                Console.WriteLine($"threads={threads} fma={System.Runtime.Intrinsics.X86.Fma.IsSupported} samples={samples} min-time={minTime}");
                Console.WriteLine($"{"shape",-36} {"mm med",8} {"mm max",8} {"mm us",9} | {"lin med",8} {"lin max",8} {"lin us",9} | {"packed",8} {"pk us",9}");
                foreach (var (label, m, k, n) in Shapes)
                {
                    if (filter != null && !label.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                    var (mm, lin, packed) = MeasureShape(m, k, n, samples, minTime);
                    Console.WriteLine($"{label,-36} {mm.Median,8:F1} {mm.Max,8:F1} {mm.MedianUs,9:F1} | {lin.Median,8:F1} {lin.Max,8:F1} {lin.MedianUs,9:F1} | {packed.Median,8:F1} {packed.MedianUs,9:F1}");
                    Console.WriteLine(FormattableString.Invariant($"RESULT gemm_{m}x{k}x{n}_{threads}t {mm.Median:F1} GFLOPS"));
                    Console.WriteLine(FormattableString.Invariant($"RESULT gemm_lin_{m}x{k}x{n}_{threads}t {lin.Median:F1} GFLOPS"));
                    Console.WriteLine(FormattableString.Invariant($"RESULT gemm_linpacked_{m}x{k}x{n}_{threads}t {packed.Median:F1} GFLOPS"));
                }
                Console.WriteLine(FormattableString.Invariant($"RESULT compute_threads_dispatch_{threads}t {MeasureDispatchUs(threads):F2} us"));
                Console.WriteLine();
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
        return 0;
    }

    private readonly record struct Figure(double Median, double Max, double MedianUs);

    private static unsafe (Figure Mm, Figure Lin, Figure Packed) MeasureShape(int m, int k, int n, int samples, double minTime)
    {
        var rng = new Random(0);
        float[] a = RandomPinned(rng, m * k);
        float[] b = RandomPinned(rng, k * n);   // B [K,N] for A*B
        float[] w = RandomPinned(rng, n * k);   // W [N,K] for A*W^T, as nn.Linear stores it
        float[] bias = new float[n];
        float[] c = GC.AllocateArray<float>(m * n, pinned: true);
        double flops = 2.0 * m * k * n;
        fixed (float* pa = a, pb = b, pw = w, pbias = bias, pc = c)
        {
            var (pa2, pb2, pw2, pbias2, pc2) = ((nint)pa, (nint)pb, (nint)pw, (nint)pbias, (nint)pc);
            var mm = Time(() => Gemm.Sgemm(false, false, m, n, k, 1f, (float*)pa2, k, (float*)pb2, n, 0f, (float*)pc2, n), flops, samples, minTime);
            var lin = Time(() => Gemm.Sgemm(false, true, m, n, k, 1f, (float*)pa2, k, (float*)pw2, k, 0f, (float*)pc2, n, (float*)pbias2), flops, samples, minTime);
            using var packedW = new PackedB(k, n);
            packedW.Pack(true, pw, k);
            var packed = Time(() => Gemm.Sgemm(false, m, 1f, (float*)pa2, k, packedW, 0f, (float*)pc2, n, (float*)pbias2), flops, samples, minTime);
            return (mm, lin, packed);
        }
    }

    private static float[] RandomPinned(Random rng, int count)
    {
        float[] x = GC.AllocateUninitializedArray<float>(count, pinned: true);
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>The timing rule of gemm_bench.py's bench().</summary>
    private static Figure Time(Action call, double flops, int samples, double minTime)
    {
        call();
        call();
        long n = 1;
        while (true)
        {
            double dt = Seconds(call, n);
            if (dt >= minTime) break;
            n = Math.Max(n * 2, (long)(n * minTime / Math.Max(dt, 1e-9) * 1.2));
        }
        var perCall = new double[samples];
        for (int s = 0; s < samples; s++) perCall[s] = Seconds(call, n) / n;
        Array.Sort(perCall);
        double median = samples % 2 == 1 ? perCall[samples / 2] : (perCall[samples / 2 - 1] + perCall[samples / 2]) / 2;
        return new Figure(flops / median / 1e9, flops / perCall[0] / 1e9, median * 1e6);
    }

    private static double Seconds(Action call, long n)
    {
        long start = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++) call();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Busy-waits for *(long*)context Stopwatch ticks: a part of known length.</summary>
    private static unsafe void SpinPart(int part, int parts, void* context)
    {
        long end = Stopwatch.GetTimestamp() + *(long*)context;
        while (Stopwatch.GetTimestamp() < end) { }
    }

    /// <summary>
    /// Microseconds ComputeThreads.Run adds to a call whose parts each take 5 us (median over calls
    /// made back to back, so the worker is spinning): the dispatch and join cost a kernel pays.
    /// </summary>
    private static unsafe double MeasureDispatchUs(int threads)
    {
        const int Calls = 20_000;
        const double PartUs = 5;
        long ticks = (long)(PartUs * Stopwatch.Frequency / 1e6);
        var perCall = new double[7];
        for (int s = 0; s < perCall.Length; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Calls; i++) ComputeThreads.Run(threads, &SpinPart, &ticks);
            perCall[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls - PartUs;
        }
        Array.Sort(perCall);
        return perCall[perCall.Length / 2];
    }
}
