using System.Globalization;
using System.Text;

namespace GanSharp.Figures;

/// <summary>Renders plot drawing calls as an SVG document (pixel units, viewBox = size).</summary>
internal sealed class SvgSurface : IPlotSurface
{
    private static int s_documents;

    private readonly StringBuilder _sb = new();
    private readonly string _idPrefix;
    private int _clips;
    private int _depth = 1;

    public SvgSurface(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        // Ids must stay unique when several SVGs are inlined into one HTML page.
        _idPrefix = "gs" + Interlocked.Increment(ref s_documents).ToString(CultureInfo.InvariantCulture);
        _sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
           .Append("font-family=\"Helvetica, Arial, 'Liberation Sans', sans-serif\">\n");
        Rect(new RectD(0, 0, width, height), Color.White);
    }

    public double Unit { get; set; } = 1;

    /// <summary>The finished document (without an XML declaration, so it can be inlined in HTML).</summary>
    public override string ToString() => _sb.ToString() + "</svg>\n";

    private double FontSize(TextRole role) => Unit * role switch
    {
        TextRole.Title => 15,
        TextRole.Label => 12.5,
        _ => 11,
    };

    public (double Width, double CapHeight) MeasureText(string text, TextRole role)
    {
        double size = FontSize(role);
        return (SansWidth(text) * size, 0.72 * size);
    }

    public void Rect(RectD r, Color? fill, Color? stroke = null, double strokeWidth = 1)
    {
        Open("rect").Attr("x", r.X).Attr("y", r.Y).Attr("width", r.Width).Attr("height", r.Height);
        Paint("fill", fill);
        if (stroke is { } s) Paint("stroke", s).Attr("stroke-width", strokeWidth);
        Close();
    }

    public void Line(double x0, double y0, double x1, double y1, Color color, double width)
    {
        Open("line").Attr("x1", x0).Attr("y1", y0).Attr("x2", x1).Attr("y2", y1);
        Paint("stroke", color).Attr("stroke-width", width);
        Close();
    }

    public void Polyline(ReadOnlySpan<(double X, double Y)> points, Color color, double width)
    {
        if (points.Length == 0) return;
        Open("polyline").Points(points).Raw(" fill=\"none\"");
        Paint("stroke", color).Attr("stroke-width", width).Raw(" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        Close();
    }

    public void Polygon(ReadOnlySpan<(double X, double Y)> points, Color fill)
    {
        if (points.Length < 3) return;
        Open("polygon").Points(points);
        Paint("fill", fill);
        Close();
    }

    public void Circle(double cx, double cy, double radius, Color fill)
    {
        Open("circle").Attr("cx", cx).Attr("cy", cy).Attr("r", radius);
        Paint("fill", fill);
        Close();
    }

    public void Text(string text, double x, double y, TextRole role, Color color, HAlign h, VAlign v, bool vertical = false)
    {
        double size = FontSize(role), cap = 0.72 * size;
        double baseline = v switch { VAlign.Top => cap, VAlign.Middle => cap / 2, _ => 0 };
        string anchor = h switch { HAlign.Left => "start", HAlign.Center => "middle", _ => "end" };
        if (vertical)
        {
            // Rotate about the anchor; in the rotated frame "down" points right on the page.
            Open("text").Attr("x", 0).Attr("y", baseline)
                .Raw($" transform=\"translate({N(x)} {N(y)}) rotate(-90)\"");
        }
        else
        {
            Open("text").Attr("x", x).Attr("y", y + baseline);
        }
        Attr("font-size", size).Raw($" text-anchor=\"{anchor}\"");
        if (role == TextRole.Title) Raw(" font-weight=\"bold\"");
        Paint("fill", color);
        _sb.Append('>').Append(Markup.Escape(text)).Append("</text>\n");
    }

    public void BeginClip(RectD r)
    {
        string id = $"{_idPrefix}-clip{_clips++}";
        Indent().Append($"<clipPath id=\"{id}\">");
        _sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(r.X)}\" y=\"{N(r.Y)}\" width=\"{N(r.Width)}\" height=\"{N(r.Height)}\"/></clipPath>\n");
        Indent().Append($"<g clip-path=\"url(#{id})\">\n");
        _depth++;
    }

    public void EndClip() => EndGroup();

    public void BeginGroup(string kind, string? label)
    {
        Indent().Append("<g class=\"").Append(Markup.Escape(kind)).Append('"');
        if (!string.IsNullOrEmpty(label)) _sb.Append(" data-label=\"").Append(Markup.Escape(label)).Append('"');
        _sb.Append(">\n");
        _depth++;
    }

    public void EndGroup()
    {
        _depth--;
        Indent().Append("</g>\n");
    }

    private StringBuilder Indent() => _sb.Append(' ', 2 * _depth);

    private SvgSurface Open(string element)
    {
        Indent().Append('<').Append(element);
        return this;
    }

    private void Close() => _sb.Append("/>\n");

    private SvgSurface Raw(string s)
    {
        _sb.Append(s);
        return this;
    }

    private SvgSurface Attr(string name, double value)
    {
        _sb.Append(' ').Append(name).Append("=\"").Append(N(value)).Append('"');
        return this;
    }

    private SvgSurface Paint(string property, Color? color)
    {
        if (color is not { } c)
        {
            _sb.Append(' ').Append(property).Append("=\"none\"");
            return this;
        }
        _sb.Append(' ').Append(property).Append("=\"").Append(c.ToHex()).Append('"');
        if (c.A < 255) Attr(property + "-opacity", Math.Round(c.Opacity, 3));
        return this;
    }

    private SvgSurface Points(ReadOnlySpan<(double X, double Y)> points)
    {
        _sb.Append(" points=\"");
        for (int i = 0; i < points.Length; i++)
        {
            if (i > 0) _sb.Append(' ');
            _sb.Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        _sb.Append('"');
        return this;
    }

    // Two decimals are plenty at pixel scale and keep files small.
    private static string N(double v)
    {
        string s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    /// <summary>Approximate advance width in em of a sans-serif string (Helvetica/Arial metrics, a little generous).</summary>
    internal static double SansWidth(string text)
    {
        double units = 0;
        foreach (char c in text)
            units += c is >= ' ' and <= '~' ? HelveticaWidths[c - ' '] : 600;
        return units / 1000 * 1.05;
    }

    // Advance widths (1/1000 em) of Helvetica for ASCII 32..126; Arial and Liberation Sans match.
    private static readonly short[] HelveticaWidths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, //  !"#$%&'()*+,-./
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0-9 :;<=>?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @A-O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P-Z [\]^_
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `a-o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // p-z {|}~
    ];
}
