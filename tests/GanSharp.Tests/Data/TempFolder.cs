namespace GanSharp.Tests.Data;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gansharp-data-" + Guid.NewGuid().ToString("N"));

    /// <summary>A path inside the folder (parent folders created).</summary>
    public string Path(string relative)
    {
        string path = System.IO.Path.Combine(Root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> to a path inside the folder and returns the path.</summary>
    public string Write(string relative, ReadOnlySpan<byte> bytes)
    {
        string path = Path(relative);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
