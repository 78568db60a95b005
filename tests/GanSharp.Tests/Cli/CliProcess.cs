using System.Diagnostics;

namespace GanSharp.Tests.Cli;

/// <summary>The gansharp CLI (built beside the tests) as a child process.</summary>
internal static class CliProcess
{
    /// <summary>Starts the CLI with its output drained (and discarded), for tests that signal or kill it.</summary>
    public static Process Start(params string[] args)
    {
        var process = Process.Start(StartInfo(args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the CLI to completion: its exit code and its standard output followed by its standard error.</summary>
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GanSharp.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
