using GanSharp.Gan.Config;

namespace GanSharp.Cli;

/// <summary>How commands that read run folders report what users can fix.</summary>
internal static class CommandErrors
{
    /// <summary>Runs a command's work; a bad run folder, config or data file ends it with its message and exit code 2.</summary>
    public static int Guarded(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is ConfigException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
