using GanSharp.Kernels;

namespace GanSharp.Tests;

/// <summary>Runs code with a given number of compute threads and restores the setting (tests that use it share the "ComputeThreads" collection).</summary>
internal static class ThreadCount
{
    public static T With<T>(int threads, Func<T> body)
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            return body();
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }
}
