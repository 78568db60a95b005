using System.Diagnostics;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Kernels;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Benchmarks;

/// <summary>
/// The workload of reference-bench/gan_dcgan28_bench.py: the dcgan-mnist preset's networks with the
/// script's Tanh output (G: 100 -> 128x7x7 -> BN ReLU -> ConvT 64 14x14 -> BN ReLU -> ConvT 1 28x28;
/// D: Conv 64 14x14 -> LeakyReLU -> Conv 128 7x7 -> BN LeakyReLU -> Linear 1), batch 64, Adam 2e-4
/// (0.5, 0.999) for both, a fixed U[-1, 1] "real" batch. One iteration, as the script's: G(z) once;
/// a D step on real and fake.detach() (two D forwards); a G step on D(fake) with target 1. As in our
/// trainer, D is frozen during the G step, so its weight gradients are not computed (PyTorch's script
/// computes them and discards them at the next zero_grad).
/// Usage: dcgan28 [--iters 100] [--runs 5] [--warmup 10] [--batch 64] [--threads 2]
/// </summary>
internal static class Dcgan28Benchmark
{
    public static int Run(string[] args)
    {
        int iters = Args.Int(args, "--iters", 100), runs = Args.Int(args, "--runs", 5);
        int warmup = Args.Int(args, "--warmup", 10), batch = Args.Int(args, "--batch", 64);
        ComputeThreads.Count = Args.Int(args, "--threads", 2);
        var workload = new Workload(batch);
        for (int i = 0; i < warmup; i++) workload.Step();

        var times = new List<double>();
        long allocated = 0;
        float lossD = 0, lossG = 0;
        for (int r = 0; r < runs; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < iters; i++) (lossD, lossG) = workload.Step();
            times.Add(clock.Elapsed.TotalSeconds / iters);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        double median = Args.Median(times);
        Console.WriteLine($"dcgan28 threads={ComputeThreads.Count} batch={batch} params G={workload.G.ParameterCount} D={workload.D.ParameterCount} " +
                          $"last losses D={lossD:F3} G={lossG:F3}");
        Console.WriteLine($"per-run ms/it: {string.Join(" ", times.Select(t => (t * 1e3).ToString("F2")))}");
        Console.WriteLine($"median {median * 1e3:F2} ms/it ({1 / median:F2} it/s); managed allocation in the last run: {allocated / (double)iters:F0} bytes/it; " +
                          $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        Console.WriteLine($"RESULT dcgan28 {1 / median:F2} it/s");
        return 0;
    }

    private sealed class Workload
    {
        private readonly Adam _optG, _optD;
        private readonly Tensor _real, _z;
        private readonly Rng _rng = new(0);

        public Sequential G { get; }
        public Sequential D { get; }

        public Workload(int batch)
        {
            // The preset's generator ends Sigmoid, Flatten (pixels in [0, 1]); the script's ends Tanh (data in [-1, 1]).
            var config = ConfigSource.Parse(Presets.Json("dcgan-mnist"), "dcgan-mnist", settings: ["generator.layers.8.type=tanh"]);
            var initRng = new Rng(0);
            G = GanFactory.BuildNetwork(config.Generator, 100, 784, "generator", initRng, _rng);
            D = GanFactory.BuildNetwork(config.Discriminator, 784, 1, "discriminator", initRng, _rng);
            if (G.Layers[8] is not Tanh) throw new InvalidOperationException("dcgan28: the preset's layer 8 is no longer the output activation.");
            _optG = new Adam(G.Parameters(), 2e-4f, 0.5f, 0.999f);
            _optD = new Adam(D.Parameters(), 2e-4f, 0.5f, 0.999f);
            _real = Tensor.Persistent(new Shape(batch, 784));
            new Rng(1).FillUniform(_real.Span, -1f, 1f);
            _z = Tensor.Persistent(new Shape(batch, 100));
        }

        public (float LossD, float LossG) Step()
        {
            using var _ = TensorScope.Begin();
            _rng.FillNormal(_z.Span, 0f, 1f);
            var fake = G.Forward(_z);

            _optD.ZeroGrad();
            var lossD = D.Forward(_real).BceWithLogits(1f) + D.Forward(fake.Detach()).BceWithLogits(0f);
            lossD.Backward();
            _optD.Step();

            _optG.ZeroGrad();
            D.RequiresGrad(false);
            var lossG = D.Forward(fake).BceWithLogits(1f);
            lossG.Backward();
            D.RequiresGrad(true);
            _optG.Step();
            return (lossD.Item(), lossG.Item());
        }
    }
}
