namespace GanSharp.Benchmarks;

/// <summary>Name -> entry point. Add a line here for each benchmark.</summary>
internal static class BenchmarkRegistry
{
    public static readonly Dictionary<string, Func<string[], int>> All = new()
    {
        ["toy1d"] = Toy1DBenchmark.Run,
        ["mlp"] = MlpGanBenchmark.Run,
        ["parzen"] = ParzenBenchmark.Run,
        ["gemm"] = GemmBenchmark.Run,
        ["dcgan28"] = Dcgan28Benchmark.Run,
    };
}
