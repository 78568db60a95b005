namespace GanSharp.Figures;

/// <summary>What a piece of text is for; each surface maps roles to its own font sizes.</summary>
internal enum TextRole { Title, Label, Tick, Legend }

internal enum HAlign { Left, Center, Right }

/// <summary>Vertical alignment relative to the capital-height box: Top = cap top, Bottom = baseline.</summary>
internal enum VAlign { Top, Middle, Bottom }

/// <summary>
/// The drawing vocabulary the plot layout needs. <see cref="PlotPainter"/> lays a plot out once
/// in pixel coordinates; <see cref="SvgSurface"/> and <see cref="CanvasSurface"/> turn the calls
/// into SVG markup or raster pixels, so both outputs share one layout.
/// </summary>
internal interface IPlotSurface
{
    /// <summary>Size multiplier for fonts and strokes (1 = designed for a 640x480 panel).</summary>
    double Unit { get; set; }

    /// <summary>Width of the text and its capital height, in pixels.</summary>
    (double Width, double CapHeight) MeasureText(string text, TextRole role);

    void Rect(RectD rect, Color? fill, Color? stroke = null, double strokeWidth = 1);

    void Line(double x0, double y0, double x1, double y1, Color color, double width);

    /// <summary>A connected run of finite points (callers split runs at gaps).</summary>
    void Polyline(ReadOnlySpan<(double X, double Y)> points, Color color, double width);

    void Polygon(ReadOnlySpan<(double X, double Y)> points, Color fill);

    void Circle(double cx, double cy, double radius, Color fill);

    /// <summary>
    /// Text anchored at (x, y). When <paramref name="vertical"/> the text is rotated to read
    /// bottom-to-top; <paramref name="h"/> then applies along the page's y axis (Center = centred on y)
    /// and <paramref name="v"/> across it (Top = cap top at x, glyphs extending right).
    /// </summary>
    void Text(string text, double x, double y, TextRole role, Color color, HAlign h, VAlign v, bool vertical = false);

    void BeginClip(RectD rect);
    void EndClip();

    /// <summary>Groups the following calls (SVG: a &lt;g&gt; with a class and label; raster: nothing).</summary>
    void BeginGroup(string kind, string? label);
    void EndGroup();
}
