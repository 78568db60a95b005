namespace GanSharp.Kernels;

// TEMPORARY placeholder until the worker pool lands.
public static class ComputeThreads
{
    public static int Count { get; set; } = Math.Min(2, Environment.ProcessorCount);
}
