using System.Diagnostics;
using GanSharp.Evaluation;
using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Benchmarks;

/// <summary>
/// The full MNIST Parzen protocol's cost: 10,000 samples, sigma chosen from 10 values on 1,000
/// validation points, then 10,000 test points, dimension 784. The work does not depend on the
/// values, so uniform random vectors stand in for samples and digits. Median of --runs.
/// Usage: parzen [--runs 3] [--threads 2]
/// </summary>
internal static class ParzenBenchmark
{
    public static int Run(string[] args)
    {
        int runs = Args.Int(args, "--runs", 3);
        ComputeThreads.Count = Args.Int(args, "--threads", 2);
        const int d = 784;
        var rng = new Rng(1);
        float[] samples = new float[10000 * d], validation = new float[1000 * d], test = new float[10000 * d];
        rng.FillUniform(samples, 0, 1);
        rng.FillUniform(validation, 0, 1);
        rng.FillUniform(test, 0, 1);
        var times = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var result = ParzenWindow.Evaluate(samples, validation, test, d);
            times.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"run {r}: {times[^1]:F2} s (sigma {result.Sigma:F3}, test mean {result.TestMean:F1})");
        }
        Console.WriteLine($"RESULT parzen_mnist {Args.Median(times):F2} s");
        return 0;
    }
}
