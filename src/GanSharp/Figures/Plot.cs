namespace GanSharp.Figures;

/// <summary>
/// A 2-D chart: title, axis labels, optional fixed limits and log-scale y, a legend, and any mix
/// of line, scatter, bar (histogram) and band series. One model, two renderers: <see cref="ToSvg"/>
/// and <see cref="Render"/> (raster, for PNG) share the same layout code.
/// </summary>
/// <example>
/// <code>
/// new Plot { Title = "Losses", XLabel = "epoch", YLabel = "loss" }
///     .Line(epochs, dLoss, "D").Line(epochs, gLoss, "G")
///     .SavePng("losses.png");
/// </code>
/// </example>
public sealed class Plot
{
    public const int DefaultWidth = 640;
    public const int DefaultHeight = 480;

    private readonly List<PlotSeries> _series = [];
    private (double Min, double Max)? _xLimits, _yLimits;
    private int _autoColors;

    public string? Title { get; set; }
    public string? XLabel { get; set; }
    public string? YLabel { get; set; }

    /// <summary>Fixed x-axis limits; null (default) fits the data with nice round limits.</summary>
    public (double Min, double Max)? XLimits
    {
        get => _xLimits;
        set => _xLimits = CheckLimits(value, nameof(XLimits));
    }

    /// <summary>Fixed y-axis limits; null (default) fits the data with nice round limits.</summary>
    public (double Min, double Max)? YLimits
    {
        get => _yLimits;
        set => _yLimits = CheckLimits(value, nameof(YLimits));
    }

    /// <summary>Base-10 logarithmic y axis; non-positive values are left out.</summary>
    public bool LogY { get; set; }

    public LegendLocation Legend { get; set; } = LegendLocation.Auto;

    /// <summary>Light grey grid lines at the ticks.</summary>
    public bool Grid { get; set; } = true;

    public IReadOnlyList<PlotSeries> Series => _series;

    /// <summary>Adds a series (its colour is used as given).</summary>
    public Plot Add(PlotSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series.Add(series);
        return this;
    }

    /// <summary>A line through (xs[i], ys[i]). Colour defaults to the next palette colour.</summary>
    public Plot Line(IEnumerable<double> xs, IEnumerable<double> ys, string? label = null, Color? color = null, double width = 1.5) =>
        Add(new LineSeries(xs, ys, label, color ?? NextColor(), width));

    /// <summary>A line through (i, ys[i]), i = 0, 1, 2, ...</summary>
    public Plot Line(IEnumerable<double> ys, string? label = null, Color? color = null, double width = 1.5)
    {
        double[] y = ys?.ToArray() ?? throw new ArgumentNullException(nameof(ys));
        return Line(Enumerable.Range(0, y.Length).Select(i => (double)i), y, label, color, width);
    }

    /// <summary>Round markers of diameter <paramref name="size"/> pixels at (xs[i], ys[i]).</summary>
    public Plot Scatter(IEnumerable<double> xs, IEnumerable<double> ys, string? label = null, Color? color = null, double size = 5) =>
        Add(new ScatterSeries(xs, ys, label, color ?? NextColor(), size));

    /// <summary>Bars between consecutive <paramref name="edges"/> (n + 1 edges for n heights).</summary>
    public Plot Bars(IEnumerable<double> edges, IEnumerable<double> heights, string? label = null, Color? color = null, double opacity = 0.55) =>
        Add(new BarSeries(edges, heights, label, color ?? NextColor(), opacity));

    /// <summary>
    /// Histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins over
    /// <paramref name="range"/> (default: the finite data range). With <paramref name="density"/>
    /// the heights integrate to one, so samples of different sizes compare.
    /// </summary>
    public Plot Histogram(IEnumerable<double> values, int bins = 30, string? label = null, Color? color = null,
        bool density = false, (double Min, double Max)? range = null, double opacity = 0.55)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double[] data = values.Where(double.IsFinite).ToArray();
        var (lo, hi) = range ?? (data.Length > 0 ? (data.Min(), data.Max()) : (0.0, 1.0));
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi < lo)
            throw new ArgumentException($"histogram range must be finite with Min <= Max (got {lo}, {hi}).", nameof(range));
        if (hi == lo) { lo -= 0.5; hi += 0.5; }

        double width = (hi - lo) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? hi : lo + i * width).ToArray();
        var counts = new double[bins];
        int inRange = 0;
        foreach (double v in data)
        {
            if (v < lo || v > hi) continue;
            counts[Math.Min(bins - 1, (int)((v - lo) / width))]++; // the last bin includes its right edge
            inRange++;
        }
        if (density && inRange > 0)
            for (int i = 0; i < bins; i++) counts[i] /= inRange * width;
        return Bars(edges, counts, label, color, opacity);
    }

    /// <summary>A translucent band between <paramref name="lower"/> and <paramref name="upper"/> over <paramref name="xs"/>.</summary>
    public Plot Band(IEnumerable<double> xs, IEnumerable<double> lower, IEnumerable<double> upper, string? label = null,
        Color? color = null, double opacity = 0.25) =>
        Add(new BandSeries(xs, lower, upper, label, color ?? NextColor(), opacity));

    /// <summary>The SVG document (no XML declaration, so it can also be inlined in HTML).</summary>
    public string ToSvg(int width = DefaultWidth, int height = DefaultHeight)
    {
        var svg = new SvgSurface(width, height);
        PlotPainter.Paint(this, svg, new RectD(0, 0, width, height));
        return svg.ToString();
    }

    /// <summary>Writes a standalone SVG file (atomically).</summary>
    public void SaveSvg(string path, int width = DefaultWidth, int height = DefaultHeight) =>
        AtomicFile.WriteAllText(path, SvgFile(ToSvg(width, height)));

    /// <summary>Rasterises the plot onto a new canvas.</summary>
    public Canvas Render(int width = DefaultWidth, int height = DefaultHeight)
    {
        var canvas = new Canvas(width, height, Color.White);
        PlotPainter.Paint(this, new CanvasSurface(canvas), new RectD(0, 0, width, height));
        return canvas;
    }

    public byte[] ToPng(int width = DefaultWidth, int height = DefaultHeight) => Render(width, height).ToPng();

    /// <summary>Writes an RGB PNG file (atomically).</summary>
    public void SavePng(string path, int width = DefaultWidth, int height = DefaultHeight) => Render(width, height).SavePng(path);

    internal static string SvgFile(string svg) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg;

    private Color NextColor() => Color.Series(_autoColors++);

    private static (double Min, double Max)? CheckLimits((double Min, double Max)? limits, string name)
    {
        if (limits is { } l && (!double.IsFinite(l.Min) || !double.IsFinite(l.Max) || !(l.Min < l.Max)))
            throw new ArgumentException($"{name} must be finite with Min < Max (got {l.Min}, {l.Max}).", name);
        return limits;
    }
}
