namespace GanSharp.Data;

/// <summary>
/// A data file (IDX, CIFAR-10 binary, .npy, PNG folder) that is malformed, disagrees with its own
/// header, or uses a feature the reader deliberately does not support. The message names the file
/// and the problem. Every reader in <see cref="GanSharp.Data"/> reports bad content with this type
/// only; missing files and real I/O failures keep their own <see cref="IOException"/> subtypes.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/> because <see cref="InvalidDataException"/>, the natural
/// base, is sealed; a caller catching I/O failures while loading data catches this too.
/// </remarks>
public sealed class DataFormatException : IOException
{
    public DataFormatException(string message) : base(message) { }

    public DataFormatException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The conventional "<c>file: problem</c>" message.</summary>
    internal static DataFormatException In(string source, string problem, Exception? inner = null) =>
        new($"{source}: {problem}", inner);
}
