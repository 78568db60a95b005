namespace GanSharp.Figures;

/// <summary>Renders plot drawing calls onto a <see cref="Canvas"/> with the built-in bitmap font.</summary>
internal sealed class CanvasSurface(Canvas canvas) : IPlotSurface
{
    private readonly Stack<(int X, int Y, int W, int H)> _clips = new();

    public double Unit { get; set; } = 1;

    // The bitmap font only scales by integers: one font pixel per unit, titles twice that.
    private int Scale(TextRole role)
    {
        int s = Math.Max(1, (int)Math.Round(Unit));
        return role == TextRole.Title ? 2 * s : s;
    }

    public (double Width, double CapHeight) MeasureText(string text, TextRole role)
    {
        int scale = Scale(role);
        return (BitmapFont.Measure(text, scale).Width, BitmapFont.Ascent * scale);
    }

    public void Rect(RectD r, Color? fill, Color? stroke = null, double strokeWidth = 1)
    {
        // Snap to whole pixels like Canvas.FillRect does. The outline runs along the pixel
        // columns/rows at x0 and x1 (y0 and y1), so adjacent bars share one crisp edge line
        // instead of drawing two side by side.
        double x0 = Math.Round(r.X), y0 = Math.Round(r.Y), x1 = Math.Round(r.Right), y1 = Math.Round(r.Bottom);
        if (fill is { } f) canvas.FillRect(x0, y0, x1 - x0, y1 - y0, f);
        if (stroke is { } s)
        {
            double w = Math.Max(1, Math.Round(strokeWidth)), offset = (w % 2) / 2;
            canvas.StrokeRect(x0 + offset, y0 + offset, x1 - x0, y1 - y0, s, w);
        }
    }

    public void Line(double x0, double y0, double x1, double y1, Color color, double width) =>
        canvas.DrawLine(x0, y0, x1, y1, color, width);

    public void Polyline(ReadOnlySpan<(double X, double Y)> points, Color color, double width) =>
        canvas.DrawPolyline(points, color, width);

    public void Polygon(ReadOnlySpan<(double X, double Y)> points, Color fill) => canvas.FillPolygon(points, fill);

    public void Circle(double cx, double cy, double radius, Color fill) => canvas.FillCircle(cx, cy, radius, fill);

    public void Text(string text, double x, double y, TextRole role, Color color, HAlign h, VAlign v, bool vertical = false)
    {
        int scale = Scale(role);
        double width = BitmapFont.Measure(text, scale).Width, cap = BitmapFont.Ascent * scale;
        // Offset of the cap-top edge from the anchor, across the reading direction.
        double across = v switch { VAlign.Top => 0, VAlign.Middle => -cap / 2, _ => -cap };
        if (!vertical)
        {
            double left = x - h switch { HAlign.Left => 0, HAlign.Center => width / 2, _ => width };
            canvas.DrawText(text, (int)Math.Round(left), (int)Math.Round(y + across), color, scale);
            if (role == TextRole.Title) // faux bold: a second pass one pixel to the right
                canvas.DrawText(text, (int)Math.Round(left) + 1, (int)Math.Round(y + across), color, scale);
        }
        else
        {
            // Reading upwards, the text starts at the bottom of its box.
            double top = y - h switch { HAlign.Left => width, HAlign.Center => width / 2, _ => 0 };
            canvas.DrawText(text, (int)Math.Round(x + across), (int)Math.Round(top), color, scale, TextDirection.Up);
        }
    }

    public void BeginClip(RectD r)
    {
        _clips.Push(canvas.Clip);
        var (cx, cy, cw, ch) = canvas.Clip;
        int x0 = Math.Max(cx, (int)Math.Floor(r.X)), y0 = Math.Max(cy, (int)Math.Floor(r.Y));
        int x1 = Math.Min(cx + cw, (int)Math.Ceiling(r.Right)), y1 = Math.Min(cy + ch, (int)Math.Ceiling(r.Bottom));
        canvas.SetClip(x0, y0, x1 - x0, y1 - y0);
    }

    public void EndClip()
    {
        var (x, y, w, h) = _clips.Pop();
        canvas.SetClip(x, y, w, h);
    }

    public void BeginGroup(string kind, string? label) { }

    public void EndGroup() { }
}
