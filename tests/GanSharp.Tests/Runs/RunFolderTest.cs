using GanSharp.Tests.Data;

namespace GanSharp.Tests.Runs;

/// <summary>
/// Base of tests that make run folders: a temp folder removed after each test, and <see cref="RunDir"/>
/// inside it (not created: the CLI or the session makes it).
/// </summary>
public abstract class RunFolderTest : IDisposable
{
    private protected TempFolder Temp { get; } = new();

    protected string RunDir => Path.Combine(Temp.Root, "run");

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
