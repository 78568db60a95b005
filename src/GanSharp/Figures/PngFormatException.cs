namespace GanSharp.Figures;

/// <summary>
/// A PNG that is malformed, or uses a feature this decoder deliberately does not support
/// (palette, 16-bit, sub-byte depths, interlacing). The message names the problem.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/> because <see cref="InvalidDataException"/>, the
/// natural base, is sealed; a caller catching I/O failures while loading images catches this too.
/// </remarks>
public sealed class PngFormatException : IOException
{
    public PngFormatException(string message) : base(message) { }

    public PngFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
