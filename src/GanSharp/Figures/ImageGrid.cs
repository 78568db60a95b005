namespace GanSharp.Figures;

/// <summary>
/// Tiles a batch of images into one picture, the usual way to show GAN samples. Input is N
/// images in CHW layout (channels, height, width), channels 1 or 3, values in [0, 1]
/// (clamped; NaN shows as 0), laid out row by row.
/// </summary>
public static class ImageGrid
{
    /// <summary>Builds the grid: greyscale output for 1-channel images (unless a column is highlighted), RGB otherwise.</summary>
    public static RasterImage Tile(ReadOnlySpan<float> images, int count, int channels, int height, int width, ImageGridOptions? options = null)
    {
        options ??= new ImageGridOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "images must have 1 (grey) or 3 (RGB) channels.");
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long imageSize = (long)channels * height * width;
        if (images.Length != count * imageSize)
            throw new ArgumentException($"{count} images of {channels}x{height}x{width} need {count * imageSize} values, got {images.Length}.", nameof(images));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Padding, "options.Padding");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Scale, 1, "options.Scale");

        var (rows, cols) = Layout(count, options.Rows, options.Cols);
        if (options.HighlightColumn is { } hc && (hc < 0 || hc >= cols))
            throw new ArgumentOutOfRangeException(nameof(options), hc, $"highlight column must be in [0, {cols}).");

        int pad = options.Padding, tileW = width * options.Scale, tileH = height * options.Scale;
        long outW = (long)cols * tileW + (cols + 1L) * pad, outH = (long)rows * tileH + (rows + 1L) * pad;
        int outC = channels == 1 && options.HighlightColumn is null ? 1 : 3;
        if (outW * outH * outC > Array.MaxLength)
            throw new ArgumentException($"a {outW}x{outH} grid is too large.", nameof(options));

        var pixels = new byte[outW * outH * outC];
        pixels.AsSpan().Fill(ToByte(options.Background));

        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> image = images.Slice((int)(n * imageSize), (int)imageSize);
            int x0 = pad + (n % cols) * (tileW + pad), y0 = pad + (n / cols) * (tileH + pad);
            for (int y = 0; y < tileH; y++)
            {
                int sy = y / options.Scale;
                long rowStart = ((y0 + y) * outW + x0) * outC;
                for (int x = 0; x < tileW; x++)
                {
                    int sx = x / options.Scale;
                    long o = rowStart + (long)x * outC;
                    for (int c = 0; c < outC; c++)
                    {
                        int plane = channels == 1 ? 0 : c; // grey images are replicated into RGB
                        pixels[o + c] = ToByte(image[(plane * height + sy) * width + sx]);
                    }
                }
            }
        }

        if (options.HighlightColumn is { } column)
        {
            // The frame fills the padding around the column, or sits on the tile edges without padding.
            int t = Math.Max(1, pad);
            int left = pad + column * (tileW + pad) - pad, right = left + tileW + 2 * pad;
            if (pad == 0) right = left + tileW;
            DrawFrame(pixels, (int)outW, (int)outH, left, 0, right, (int)outH, t, options.HighlightColor);
        }

        return new RasterImage((int)outW, (int)outH, outC, pixels);
    }

    /// <summary>Builds the grid and writes it as a PNG (atomically).</summary>
    public static void Save(string path, ReadOnlySpan<float> images, int count, int channels, int height, int width, ImageGridOptions? options = null) =>
        Tile(images, count, channels, height, width, options).Save(path);

    private static (int Rows, int Cols) Layout(int count, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows, "options.Rows");
        ArgumentOutOfRangeException.ThrowIfNegative(cols, "options.Cols");
        int n = Math.Max(count, 1);
        if (rows == 0 && cols == 0) cols = (int)Math.Ceiling(Math.Sqrt(n));
        if (rows == 0) rows = (n + cols - 1) / cols;
        if (cols == 0) cols = (n + rows - 1) / rows;
        if ((long)rows * cols < count)
            throw new ArgumentException($"a {rows}x{cols} grid cannot hold {count} images.", "options");
        return (rows, cols);
    }

    // Outline of the half-open rectangle [x0, x1) x [y0, y1), `thickness` pixels wide, inside it.
    private static void DrawFrame(byte[] rgb, int w, int h, int x0, int y0, int x1, int y1, int thickness, Color color)
    {
        for (int y = Math.Max(0, y0); y < Math.Min(h, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(w, x1); x++)
            {
                bool edge = x < x0 + thickness || x >= x1 - thickness || y < y0 + thickness || y >= y1 - thickness;
                if (!edge) continue;
                int i = (y * w + x) * 3;
                rgb[i] = color.R;
                rgb[i + 1] = color.G;
                rgb[i + 2] = color.B;
            }
    }

    private static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)(Math.Clamp(v, 0f, 1f) * 255f + 0.5f);
}
