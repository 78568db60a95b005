using System.Buffers;

namespace GanSharp.Figures;

/// <summary>
/// An 8-bit RGB raster (row-major, 3 bytes per pixel) with antialiased drawing primitives.
/// Coordinates are in pixels with (0, 0) the top-left corner of the top-left pixel, so the
/// centre of pixel (i, j) is (i + 0.5, j + 0.5). Colours with alpha &lt; 255 are blended.
/// Every operation is limited to the clip rectangle (the whole canvas unless set).
/// </summary>
public sealed class Canvas
{
    private int _clipX0, _clipY0, _clipX1, _clipY1; // half-open pixel bounds

    public Canvas(int width, int height) : this(width, height, Color.White) { }

    public Canvas(int width, int height, Color background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height * 3 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), $"a {width}x{height} canvas is too large.");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        ResetClip();
        Clear(background);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The RGB samples, row-major (shared, not copied).</summary>
    public byte[] Pixels { get; }

    public Color GetPixel(int x, int y)
    {
        CheckInside(x, y);
        int i = (y * Width + x) * 3;
        return new Color(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    /// <summary>Sets a pixel exactly (alpha ignored, clip ignored).</summary>
    public void SetPixel(int x, int y, Color color)
    {
        CheckInside(x, y);
        int i = (y * Width + x) * 3;
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
    }

    /// <summary>Fills the whole canvas (ignoring clip and alpha).</summary>
    public void Clear(Color color)
    {
        for (int i = 0; i < Pixels.Length; i += 3)
        {
            Pixels[i] = color.R;
            Pixels[i + 1] = color.G;
            Pixels[i + 2] = color.B;
        }
    }

    /// <summary>Restricts drawing to a rectangle (intersected with the canvas).</summary>
    public void SetClip(int x, int y, int width, int height)
    {
        _clipX0 = Math.Clamp(x, 0, Width);
        _clipY0 = Math.Clamp(y, 0, Height);
        _clipX1 = (int)Math.Clamp((long)x + Math.Max(0, width), _clipX0, Width);
        _clipY1 = (int)Math.Clamp((long)y + Math.Max(0, height), _clipY0, Height);
    }

    public void ResetClip() => (_clipX0, _clipY0, _clipX1, _clipY1) = (0, 0, Width, Height);

    /// <summary>The current clip rectangle.</summary>
    public (int X, int Y, int Width, int Height) Clip => (_clipX0, _clipY0, _clipX1 - _clipX0, _clipY1 - _clipY0);

    /// <summary>
    /// Fills an axis-aligned rectangle. Edges snap to the nearest pixel boundary (crisp, and
    /// adjacent rectangles such as histogram bars tile without seams); a positive size never
    /// vanishes entirely.
    /// </summary>
    public void FillRect(double x, double y, double width, double height, Color color)
    {
        if (!(width > 0) || !(height > 0) || !double.IsFinite(x) || !double.IsFinite(y)) return;
        int x0 = Snap(x), x1 = Math.Max(Snap(x + width), x0 + 1);
        int y0 = Snap(y), y1 = Math.Max(Snap(y + height), y0 + 1);
        x0 = Math.Max(x0, _clipX0); x1 = Math.Min(x1, _clipX1);
        y0 = Math.Max(y0, _clipY0); y1 = Math.Min(y1, _clipY1);
        float alpha = color.A / 255f;
        for (int py = y0; py < y1; py++)
            for (int px = x0; px < x1; px++)
                Blend(px, py, color, alpha);
    }

    /// <summary>Outlines a rectangle with lines of the given thickness centred on its edges.</summary>
    public void StrokeRect(double x, double y, double width, double height, Color color, double thickness = 1)
    {
        ReadOnlySpan<(double X, double Y)> corners =
            [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)];
        DrawPolyline(corners, color, thickness);
    }

    /// <summary>An antialiased line segment with round caps.</summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Color color, double thickness = 1)
    {
        ReadOnlySpan<(double X, double Y)> points = [(x0, y0), (x1, y1)];
        DrawPolyline(points, color, thickness);
    }

    /// <summary>
    /// An antialiased polyline with round joins. Coverage is accumulated as a maximum over
    /// segments before blending, so joints are not painted twice (matters for translucent colours).
    /// Non-finite points break the line.
    /// </summary>
    public void DrawPolyline(ReadOnlySpan<(double X, double Y)> points, Color color, double thickness = 1)
    {
        if (points.Length == 0 || !(thickness > 0)) return;
        double half = Math.Max(thickness, 1) / 2;
        float strength = (float)Math.Min(thickness, 1); // hairlines: fade instead of thinning below a pixel

        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (px, py) in points)
        {
            if (!double.IsFinite(px) || !double.IsFinite(py)) continue;
            minX = Math.Min(minX, px); maxX = Math.Max(maxX, px);
            minY = Math.Min(minY, py); maxY = Math.Max(maxY, py);
        }
        if (minX > maxX) return;

        using var mask = CoverageMask.Create(this, minX - half - 1, minY - half - 1, maxX + half + 1, maxY + half + 1);
        if (mask.IsEmpty) return;

        for (int i = 0; i < points.Length; i++)
        {
            var a = points[i];
            if (!double.IsFinite(a.X) || !double.IsFinite(a.Y)) continue;
            var b = i + 1 < points.Length ? points[i + 1] : a;
            if (!double.IsFinite(b.X) || !double.IsFinite(b.Y)) b = a; // isolated point: a dot
            mask.AddSegment(a.X, a.Y, b.X, b.Y, half, strength);
        }
        mask.Composite(color);
    }

    /// <summary>An antialiased filled disc (scatter markers).</summary>
    public void FillCircle(double cx, double cy, double radius, Color color)
    {
        if (!(radius > 0) || !double.IsFinite(cx) || !double.IsFinite(cy)) return;
        using var mask = CoverageMask.Create(this, cx - radius - 1, cy - radius - 1, cx + radius + 1, cy + radius + 1);
        if (mask.IsEmpty) return;
        // A disc is a zero-length segment with round caps.
        mask.AddSegment(cx, cy, cx, cy, radius, (float)Math.Min(1, 2 * radius));
        mask.Composite(color);
    }

    /// <summary>
    /// An antialiased filled polygon (non-zero winding), e.g. a confidence band. Uses four
    /// sub-scanlines per pixel row with exact horizontal coverage.
    /// </summary>
    public void FillPolygon(ReadOnlySpan<(double X, double Y)> points, Color color)
    {
        if (points.Length < 3) return;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (px, py) in points)
        {
            if (!double.IsFinite(px) || !double.IsFinite(py)) return;
            minX = Math.Min(minX, px); maxX = Math.Max(maxX, px);
            minY = Math.Min(minY, py); maxY = Math.Max(maxY, py);
        }
        using var mask = CoverageMask.Create(this, minX, minY, maxX + 1, maxY + 1);
        if (mask.IsEmpty) return;
        mask.AddPolygon(points);
        mask.Composite(color);
    }

    /// <summary>Size in pixels of <paramref name="text"/> drawn horizontally with the built-in font.</summary>
    public static (int Width, int Height) MeasureText(string text, int scale = 1) => BitmapFont.Measure(text, scale);

    /// <summary>
    /// Draws one line of text with the built-in 5x7 font. (<paramref name="x"/>, <paramref name="y"/>)
    /// is the top-left corner of the text's box as drawn: for <see cref="TextDirection.Up"/> the box is
    /// <see cref="MeasureText"/>'s height wide and its width tall. Characters outside ASCII 32..126 draw as '?'.
    /// </summary>
    public void DrawText(string text, int x, int y, Color color, int scale = 1, TextDirection direction = TextDirection.Horizontal)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        float alpha = color.A / 255f;
        int textWidth = BitmapFont.Measure(text, scale).Width;
        for (int i = 0; i < text.Length; i++)
        {
            int penX = i * BitmapFont.Advance * scale; // along the text direction
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (!BitmapFont.IsSet(text[i], col, row)) continue;
                    int u = penX + col * scale, v = row * scale; // glyph-space offset of this font pixel
                    if (direction == TextDirection.Horizontal)
                        FillBlock(x + u, y + v, scale, scale, color, alpha);
                    else // rotate counter-clockwise: text runs upwards, glyph tops face left
                        FillBlock(x + v, y + textWidth - u - scale, scale, scale, color, alpha);
                }
        }
    }

    /// <summary>The canvas as an RGB image sharing this canvas's pixel buffer.</summary>
    public RasterImage ToImage() => new(Width, Height, 3, Pixels);

    public byte[] ToPng() => PngWriter.Encode(Width, Height, 3, Pixels);

    /// <summary>Writes the canvas as an RGB PNG (atomically).</summary>
    public void SavePng(string path) => PngWriter.Write(path, Width, Height, 3, Pixels);

    private void FillBlock(int x, int y, int w, int h, Color color, float alpha)
    {
        int x0 = Math.Max(x, _clipX0), x1 = Math.Min(x + w, _clipX1);
        int y0 = Math.Max(y, _clipY0), y1 = Math.Min(y + h, _clipY1);
        for (int py = y0; py < y1; py++)
            for (int px = x0; px < x1; px++)
                Blend(px, py, color, alpha);
    }

    private void Blend(int x, int y, Color color, float alpha)
    {
        int i = (y * Width + x) * 3;
        if (alpha >= 1f)
        {
            Pixels[i] = color.R;
            Pixels[i + 1] = color.G;
            Pixels[i + 2] = color.B;
            return;
        }
        Pixels[i] = Mix(Pixels[i], color.R, alpha);
        Pixels[i + 1] = Mix(Pixels[i + 1], color.G, alpha);
        Pixels[i + 2] = Mix(Pixels[i + 2], color.B, alpha);
    }

    private static byte Mix(byte dst, byte src, float alpha) => (byte)(dst + (src - dst) * alpha + 0.5f);

    private static int Snap(double v) => (int)Math.Clamp(Math.Round(v, MidpointRounding.AwayFromZero), -1e9, 1e9);

    private void CheckInside(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} canvas.");
    }

    /// <summary>Per-pixel coverage in [0, 1] over a clipped rectangle, composited once at the end.</summary>
    private ref struct CoverageMask
    {
        private readonly Canvas _canvas;
        private readonly int _x0, _y0, _w, _h;
        private readonly float[]? _rented;
        private readonly Span<float> _cov;

        private CoverageMask(Canvas canvas, int x0, int y0, int x1, int y1)
        {
            _canvas = canvas;
            _x0 = x0; _y0 = y0;
            _w = Math.Max(0, x1 - x0); _h = Math.Max(0, y1 - y0);
            int n = _w * _h;
            _rented = n > 0 ? ArrayPool<float>.Shared.Rent(n) : null;
            _cov = _rented is null ? default : _rented.AsSpan(0, n);
            _cov.Clear();
        }

        public static CoverageMask Create(Canvas c, double minX, double minY, double maxX, double maxY)
        {
            int x0 = (int)Math.Max(c._clipX0, Math.Floor(Math.Max(minX, -1e9)));
            int y0 = (int)Math.Max(c._clipY0, Math.Floor(Math.Max(minY, -1e9)));
            int x1 = (int)Math.Min(c._clipX1, Math.Ceiling(Math.Min(maxX, 1e9)));
            int y1 = (int)Math.Min(c._clipY1, Math.Ceiling(Math.Min(maxY, 1e9)));
            return new CoverageMask(c, x0, y0, x1, y1);
        }

        public readonly bool IsEmpty => _w == 0 || _h == 0;

        /// <summary>Coverage of a capsule (segment a-b thickened by radius <paramref name="half"/>), box-filtered.</summary>
        public readonly void AddSegment(double ax, double ay, double bx, double by, double half, float strength)
        {
            int px0 = Math.Max(_x0, (int)Math.Floor(Math.Min(ax, bx) - half - 1));
            int px1 = Math.Min(_x0 + _w, (int)Math.Ceiling(Math.Max(ax, bx) + half + 1));
            int py0 = Math.Max(_y0, (int)Math.Floor(Math.Min(ay, by) - half - 1));
            int py1 = Math.Min(_y0 + _h, (int)Math.Ceiling(Math.Max(ay, by) + half + 1));
            double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
            for (int py = py0; py < py1; py++)
            {
                double cy = py + 0.5;
                Span<float> row = _cov.Slice((py - _y0) * _w, _w);
                for (int px = px0; px < px1; px++)
                {
                    double cx = px + 0.5;
                    double t = len2 > 0 ? Math.Clamp(((cx - ax) * dx + (cy - ay) * dy) / len2, 0, 1) : 0;
                    double ex = ax + t * dx - cx, ey = ay + t * dy - cy;
                    double coverage = half + 0.5 - Math.Sqrt(ex * ex + ey * ey);
                    if (coverage <= 0) continue;
                    float c = (float)Math.Min(coverage, 1) * strength;
                    ref float slot = ref row[px - _x0];
                    if (c > slot) slot = c;
                }
            }
        }

        public readonly void AddPolygon(ReadOnlySpan<(double X, double Y)> pts)
        {
            const int Sub = 4;
            Span<double> xs = pts.Length <= 256 ? stackalloc double[pts.Length] : new double[pts.Length];
            Span<int> winds = pts.Length <= 256 ? stackalloc int[pts.Length] : new int[pts.Length];
            for (int py = _y0; py < _y0 + _h; py++)
            {
                Span<float> row = _cov.Slice((py - _y0) * _w, _w);
                for (int s = 0; s < Sub; s++)
                {
                    double sy = py + (s + 0.5) / Sub;
                    int n = 0;
                    for (int i = 0; i < pts.Length; i++)
                    {
                        var a = pts[i];
                        var b = pts[(i + 1) % pts.Length];
                        if ((a.Y <= sy) == (b.Y <= sy)) continue; // edge does not cross this sub-scanline
                        xs[n] = a.X + (sy - a.Y) / (b.Y - a.Y) * (b.X - a.X);
                        winds[n] = b.Y > a.Y ? 1 : -1;
                        n++;
                    }
                    SortCrossings(xs[..n], winds[..n]);
                    int winding = 0;
                    for (int k = 0; k < n - 1; k++)
                    {
                        winding += winds[k];
                        if (winding != 0) AddSpan(row, xs[k], xs[k + 1], 1f / Sub);
                    }
                }
            }
        }

        private readonly void AddSpan(Span<float> row, double xa, double xb, float weight)
        {
            xa = Math.Max(xa, _x0); xb = Math.Min(xb, _x0 + _w);
            if (xb <= xa) return;
            int first = (int)Math.Floor(xa), last = (int)Math.Ceiling(xb) - 1;
            for (int px = first; px <= last; px++)
            {
                double overlap = Math.Min(xb, px + 1) - Math.Max(xa, px);
                if (overlap > 0) row[px - _x0] = Math.Min(1f, row[px - _x0] + (float)overlap * weight);
            }
        }

        private static void SortCrossings(Span<double> xs, Span<int> winds)
        {
            for (int i = 1; i < xs.Length; i++) // insertion sort: a handful of crossings per line
            {
                double x = xs[i]; int w = winds[i]; int j = i - 1;
                while (j >= 0 && xs[j] > x) { xs[j + 1] = xs[j]; winds[j + 1] = winds[j]; j--; }
                xs[j + 1] = x; winds[j + 1] = w;
            }
        }

        public readonly void Composite(Color color)
        {
            float opacity = color.A / 255f;
            for (int y = 0; y < _h; y++)
                for (int x = 0; x < _w; x++)
                {
                    float c = _cov[y * _w + x];
                    if (c > 0) _canvas.Blend(_x0 + x, _y0 + y, color, c * opacity);
                }
        }

        public readonly void Dispose()
        {
            if (_rented is not null) ArrayPool<float>.Shared.Return(_rented);
        }
    }
}
