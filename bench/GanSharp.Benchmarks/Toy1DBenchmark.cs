using System.Diagnostics;
using GanSharp.Autograd;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Kernels;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Benchmarks;

/// <summary>
/// The workload of reference-bench/gan_toy1d_bench.py: 10,000 iterations of the 1-D toy GAN
/// (G 1-32-32-1 softplus, D 1-32-32-1 tanh, batch 128, one D step on 128 real + 128 fake
/// with two D forwards, one G step on fresh z; Adam 1e-3 (0.5, 0.999) or SGD 0.01 momentum 0.5),
/// data and noise drawn fresh each iteration inside the timing. Median of --runs runs.
/// Usage: toy1d [--iters 10000] [--runs 3] [--opt adam|sgd] [--threads 1]
/// </summary>
internal static class Toy1DBenchmark
{
    public static int Run(string[] args)
    {
        int iters = Args.Int(args, "--iters", 10000), runs = Args.Int(args, "--runs", 3);
        string opt = Args.String(args, "--opt", "adam");
        ComputeThreads.Count = Args.Int(args, "--threads", 1);

        var times = new List<double>();
        Train(Build(0, opt), 200); // warm-up (JIT, pools)
        for (int r = 0; r < runs; r++)
        {
            var trainer = Build((ulong)r, opt);
            var clock = Stopwatch.StartNew();
            Train(trainer, iters);
            times.Add(clock.Elapsed.TotalSeconds);
            var (mean, std) = Moments(trainer);
            Console.WriteLine($"run {r}: {times[^1]:F3} s   G samples mean {mean:F3} std {std:F3}");
        }
        double median = Args.Median(times);
        Console.WriteLine($"toy1d threads={ComputeThreads.Count} opt={opt} batch=128: {iters} iters median {median:F3} s ({median / iters * 1e6:F0} us/it, {iters / median:F0} it/s)");
        Console.WriteLine($"RESULT toy1d_{iters / 1000}k {median:F3} s");
        return 0;
    }

    private static GanTrainer Build(ulong seed, string opt)
    {
        var json = Presets.Json("toy1d-plain");
        if (opt == "sgd")
            json = json.Replace("{ \"type\": \"adam\", \"lr\": 0.001, \"betas\": [0.5, 0.999] }", "{ \"type\": \"sgd\", \"lr\": 0.01, \"momentum\": 0.5 }");
        var config = ConfigSource.Parse(json, "toy1d", seed: seed);
        return GanFactory.CreateTrainer(config);
    }

    private static void Train(GanTrainer trainer, int iters)
    {
        for (int i = 0; i < iters; i++) trainer.TrainStep();
    }

    private static (double Mean, double Std) Moments(GanTrainer trainer)
    {
        using var _ = TensorScope.Begin();
        using var __ = GradMode.NoGrad();
        var x = trainer.Generator.Network.Forward(trainer.Noise.Sample(10000, new Rng(1))).ToArray();
        double mean = x.Average();
        return (mean, Math.Sqrt(x.Average(v => (v - mean) * (v - mean))));
    }
}
