namespace GanSharp.Figures;

/// <summary>
/// Writes a file so that readers never observe a half-written result: data goes to a temporary
/// file in the destination folder (same volume, so the final rename is atomic), is flushed to
/// disk, and then replaces the destination. Disposing without <see cref="Commit"/> discards it.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private bool _done;

    private AtomicFile(string path)
    {
        _path = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(_path) ?? ".";
        Directory.CreateDirectory(dir);
        _tempPath = Path.Combine(dir, TemporaryName(Path.GetFileName(_path), Guid.NewGuid().ToString("N")));
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    private static string TemporaryName(string fileName, string unique) => $".{fileName}.{unique}.tmp";

    /// <summary>
    /// Deletes the temporary files that writes of files matching <paramref name="searchPattern"/> left in
    /// <paramref name="directory"/> when their process was killed before committing.
    /// </summary>
    public static void DeleteAbandoned(string directory, string searchPattern)
    {
        foreach (var stale in Directory.GetFiles(directory, TemporaryName(searchPattern, "*"))) File.Delete(stale);
    }

    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AtomicFile(path);
    }

    public Stream Stream => _stream;

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_tempPath, _path, overwrite: true);
        _done = true;
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _stream.Dispose();
        try { File.Delete(_tempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Atomically writes UTF-8 text (no byte order mark) to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text)
    {
        using var file = Create(path);
        using (var writer = new StreamWriter(file.Stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true))
            writer.Write(text);
        file.Commit();
    }
}
