namespace GanSharp.Figures;

/// <summary>
/// An 8-bit image: <see cref="Channels"/> interleaved samples per pixel (1 grey, 2 grey+alpha,
/// 3 RGB, 4 RGBA), rows top to bottom, no padding. What <see cref="PngReader"/> returns and
/// <see cref="PngWriter"/> / <see cref="ImageGrid"/> produce.
/// </summary>
public sealed class RasterImage
{
    public RasterImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        PngWriter.Validate(width, height, channels, pixels.Length);
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }

    /// <summary>Row-major samples, length Width * Height * Channels (shared, not copied).</summary>
    public byte[] Pixels { get; }

    /// <summary>One sample.</summary>
    public byte this[int x, int y, int channel]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)channel >= (uint)Channels)
                throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}, {channel}) is outside a {Width}x{Height}x{Channels} image.");
            return Pixels[((long)y * Width + x) * Channels + channel];
        }
    }

    public void Deconstruct(out int width, out int height, out int channels, out byte[] pixels)
    {
        width = Width;
        height = Height;
        channels = Channels;
        pixels = Pixels;
    }

    /// <summary>Encodes as PNG.</summary>
    public byte[] ToPng() => PngWriter.Encode(Width, Height, Channels, Pixels);

    /// <summary>Writes a PNG file atomically.</summary>
    public void Save(string path) => PngWriter.Write(path, Width, Height, Channels, Pixels);
}
