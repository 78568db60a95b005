using GanSharp.Benchmarks;

// Usage: dotnet run -c Release --project bench/GanSharp.Benchmarks -- NAME [options]
// Each benchmark prints machine-readable lines "RESULT <key> <value> <unit>".
var benchmarks = BenchmarkRegistry.All;
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine("usage: GanSharp.Benchmarks NAME [options]; names: " + string.Join(", ", benchmarks.Keys));
    return 2;
}
return bench(args[1..]);
