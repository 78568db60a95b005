using System.Globalization;
using System.Text;

namespace GanSharp.Figures;

/// <summary>
/// Builds one self-contained HTML page (inline CSS, SVG figures inline, PNGs as data URIs):
/// headings and sections, paragraphs, key/value and general tables, preformatted blocks and
/// captioned figures. All text is HTML-escaped; numbers are formatted with the invariant culture.
/// </summary>
public sealed class HtmlReport
{
    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
               max-width: 980px; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        h1 { font-size: 1.7rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
        h2 { font-size: 1.3rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; }
        section { margin-bottom: 1.5rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .92rem; }
        caption { caption-side: top; text-align: left; color: #555; padding-bottom: .3rem; }
        th, td { border: 1px solid #ddd; padding: .3rem .7rem; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.kv th { font-weight: 600; }
        pre { background: #f6f8fa; border: 1px solid #e3e3e3; border-radius: 4px; padding: .7rem; overflow-x: auto; font-size: .85rem; }
        figure { margin: 1.2rem 0; }
        figure svg, figure img { max-width: 100%; height: auto; display: block; }
        figure img.pixelated { image-rendering: pixelated; }
        figcaption { color: #555; font-size: .9rem; margin-top: .3rem; }
        """;

    private readonly StringBuilder _body = new();
    private bool _sectionOpen;

    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    public string Title { get; }

    /// <summary>Starts a new &lt;section&gt; with an h2 heading (closing the previous section).</summary>
    public HtmlReport Section(string title)
    {
        CloseSection();
        _body.Append("<section>\n");
        _sectionOpen = true;
        return Heading(title, 2);
    }

    /// <summary>A heading, level 2..6 (level 1 is the page title).</summary>
    public HtmlReport Heading(string text, int level = 2)
    {
        level = Math.Clamp(level, 2, 6);
        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Esc(text)}</h{level}>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Esc(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Text shown verbatim in a monospace block (e.g. a JSON config).</summary>
    public HtmlReport Preformatted(string text)
    {
        _body.Append("<pre>").Append(Esc(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>A two-column table of names and values (e.g. a run's configuration).</summary>
    public HtmlReport KeyValueTable(IEnumerable<KeyValuePair<string, string>> pairs, string? caption = null) =>
        KeyValueTable(pairs?.Select(p => (p.Key, (object?)p.Value)) ?? throw new ArgumentNullException(nameof(pairs)), caption);

    /// <summary>A two-column table of names and values; numbers use the invariant culture.</summary>
    public HtmlReport KeyValueTable(IEnumerable<(string Key, object? Value)> pairs, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _body.Append("<table class=\"kv\">\n");
        AppendCaption(caption);
        foreach (var (key, value) in pairs)
            _body.Append("<tr><th>").Append(Esc(key)).Append("</th><td>").Append(Esc(FormatValue(value))).Append("</td></tr>\n");
        _body.Append("</table>\n");
        return this;
    }

    /// <summary>A table with a header row; numeric cells are right-aligned.</summary>
    public HtmlReport Table(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        _body.Append("<table>\n");
        AppendCaption(caption);
        _body.Append("<thead><tr>");
        foreach (string h in header) _body.Append("<th>").Append(Esc(h)).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (object? cell in row) _body.Append(Cell(cell));
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>A plot embedded as inline SVG.</summary>
    public HtmlReport Figure(Plot plot, string? caption = null, int width = Plot.DefaultWidth, int height = Plot.DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return Svg(plot.ToSvg(width, height), caption);
    }

    /// <summary>A plot grid embedded as inline SVG.</summary>
    public HtmlReport Figure(PlotGrid grid, string? caption = null, int width = 0, int height = 0)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Svg(grid.ToSvg(width, height), caption);
    }

    /// <summary>SVG markup embedded inline. The markup is trusted and inserted as is (an XML declaration is dropped).</summary>
    public HtmlReport Svg(string svgMarkup, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(svgMarkup);
        string svg = svgMarkup.TrimStart();
        if (svg.StartsWith("<?xml", StringComparison.Ordinal))
        {
            int end = svg.IndexOf("?>", StringComparison.Ordinal);
            svg = end < 0 ? svg : svg[(end + 2)..].TrimStart();
        }
        _body.Append("<figure>\n").Append(svg.TrimEnd()).Append('\n');
        return CloseFigure(caption);
    }

    /// <summary>A PNG embedded as a base64 data URI.</summary>
    /// <param name="displayScale">Show the image this many times larger, without smoothing (small sample grids).</param>
    public HtmlReport Png(byte[] png, string? caption = null, string? alt = null, int displayScale = 1)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentOutOfRangeException.ThrowIfLessThan(displayScale, 1);
        _body.Append("<figure>\n<img");
        if (displayScale > 1) _body.Append(" class=\"pixelated\"");
        if (TryReadPngSize(png, out int w, out int h))
            _body.Append(CultureInfo.InvariantCulture, $" width=\"{(long)w * displayScale}\" height=\"{(long)h * displayScale}\"");
        _body.Append(" alt=\"").Append(Esc(alt ?? caption ?? "")).Append("\" src=\"data:image/png;base64,")
             .Append(Convert.ToBase64String(png)).Append("\">\n");
        return CloseFigure(caption);
    }

    /// <summary>A raster image (e.g. an <see cref="ImageGrid"/>) embedded as PNG.</summary>
    public HtmlReport Image(RasterImage image, string? caption = null, string? alt = null, int displayScale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Png(image.ToPng(), caption, alt, displayScale);
    }

    /// <summary>The complete HTML document.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Esc(Title)).Append("</title>\n")
          .Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n")
          .Append("<h1>").Append(Esc(Title)).Append("</h1>\n")
          .Append(_body);
        if (_sectionOpen) sb.Append("</section>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the page as UTF-8 (atomically).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());

    private void CloseSection()
    {
        if (!_sectionOpen) return;
        _body.Append("</section>\n");
        _sectionOpen = false;
    }

    private HtmlReport CloseFigure(string? caption)
    {
        if (!string.IsNullOrEmpty(caption)) _body.Append("<figcaption>").Append(Esc(caption)).Append("</figcaption>\n");
        _body.Append("</figure>\n");
        return this;
    }

    private void AppendCaption(string? caption)
    {
        if (!string.IsNullOrEmpty(caption)) _body.Append("<caption>").Append(Esc(caption)).Append("</caption>\n");
    }

    private static string Cell(object? value)
    {
        bool numeric = value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;
        return (numeric ? "<td class=\"num\">" : "<td>") + Esc(FormatValue(value)) + "</td>";
    }

    /// <summary>Invariant-culture text for a cell value.</summary>
    internal static string FormatValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Esc(string? text) => Markup.Escape(text);

    // Width and height from the IHDR chunk, which a valid PNG always has first.
    private static bool TryReadPngSize(byte[] png, out int width, out int height)
    {
        width = height = 0;
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(PngWriter.Signature) || png[12] != 'I' || png[13] != 'H') return false;
        width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        return width > 0 && height > 0;
    }
}
