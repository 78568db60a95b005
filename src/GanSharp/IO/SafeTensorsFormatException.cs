namespace GanSharp.IO;

/// <summary>
/// Bytes that are not a valid safetensors file. The message names the file (when known) and
/// the exact rule that was broken.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/> (as <see cref="Figures.PngFormatException"/> does) so a
/// caller catching I/O failures while loading a checkpoint also catches a corrupt one.
/// </remarks>
public sealed class SafeTensorsFormatException : IOException
{
    public SafeTensorsFormatException(string message) : base(message) { }

    public SafeTensorsFormatException(string message, Exception? innerException) : base(message, innerException) { }
}
