using System.Diagnostics;
using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Kernels;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Benchmarks;

/// <summary>
/// The workload of reference-bench/gan_mlp_bench.py (--variant alg1): the Goodfellow et al. 2014 MNIST
/// MLP GAN, batch 100, SGD lr 0.1 momentum 0.5, a fixed uniform "real" batch. One iteration = one D step
/// (fresh z, G forward without grad, D on 100 real and 100 fake as two forwards) + one G step (fresh z).
/// Usage: mlp [--iters 200] [--runs 5] [--threads 2]
/// </summary>
internal static class MlpGanBenchmark
{
    /// <summary>Always returns the same batch, as the reference does.</summary>
    private sealed class FixedBatch(float[] data, int dimension) : IDataSource
    {
        public int Dimension => dimension;
        public void NextBatch(Span<float> destination, int batch, Rng rng) => data.AsSpan(0, batch * dimension).CopyTo(destination);
    }

    public static int Run(string[] args)
    {
        int iters = Args.Int(args, "--iters", 200), runs = Args.Int(args, "--runs", 5);
        ComputeThreads.Count = Args.Int(args, "--threads", 2);
        var trainer = Build();
        for (int i = 0; i < 30; i++) trainer.TrainStep(); // warm-up

        var times = new List<double>();
        long allocated = 0;
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < iters; i++) trainer.TrainStep();
            times.Add(clock.Elapsed.TotalSeconds / iters);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        double median = Args.Median(times);
        Console.WriteLine($"per-run ms/it: {string.Join(" ", times.Select(t => (t * 1e3).ToString("F2")))}");
        Console.WriteLine($"mlp_gan threads={ComputeThreads.Count} batch=100: median {median * 1e3:F2} ms/it ({1 / median:F1} it/s); " +
                          $"managed allocation in the last run: {allocated / (double)iters:F0} bytes/it; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        Console.WriteLine($"RESULT mlp_gan {1 / median:F2} it/s");
        return 0;
    }

    private static GanTrainer Build()
    {
        var json = Presets.Json("mnist-goodfellow2014")
            .Replace("\"lr_decay\": { \"factor\": 1.000004, \"min_lr\": 0.000001 }", "\"lr_decay\": { \"factor\": 1.0, \"min_lr\": 0.1 }");
        var config = ConfigSource.Parse(json, "mnist-goodfellow2014", settings: ["noise.scale=1.0", "generator.layers.4.bias_from_marginals=false"]);
        var rng = new Rng(0);
        var real = new float[100 * 784];
        rng.FillUniform(real, 0f, 1f);
        return GanFactory.CreateTrainer(config, new DataBundle(new FixedBatch(real, 784), [1, 28, 28]));
    }
}
