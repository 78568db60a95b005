namespace GanSharp.Figures;

/// <summary>
/// Adjacent bars between consecutive bin edges (a histogram): bar i spans
/// [Edges[i], Edges[i+1]] with height Heights[i], filled translucently with an opaque outline.
/// </summary>
public sealed class BarSeries : PlotSeries
{
    private readonly double[] _edges, _heights;

    public BarSeries(IEnumerable<double> edges, IEnumerable<double> heights, string? label, Color color, double opacity = 0.55)
        : base(label, color)
    {
        _edges = ToArray(edges, nameof(edges));
        _heights = ToArray(heights, nameof(heights));
        if (_edges.Length != _heights.Length + 1)
            throw new ArgumentException($"{_heights.Length} bar heights need {_heights.Length + 1} bin edges, got {_edges.Length}.", nameof(edges));
        ArgumentOutOfRangeException.ThrowIfNegative(opacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opacity, 1);
        Opacity = opacity;
    }

    public IReadOnlyList<double> Edges => _edges;
    public IReadOnlyList<double> Heights => _heights;

    /// <summary>Fill opacity in [0, 1]; overlapping histograms stay readable below 1.</summary>
    public double Opacity { get; }

    public override string Kind => "bars";

    internal override void Extend(ref DataBounds bounds, bool logY)
    {
        for (int i = 0; i < _heights.Length; i++)
        {
            if (!double.IsFinite(_heights[i]) || !double.IsFinite(_edges[i]) || !double.IsFinite(_edges[i + 1])) continue;
            bounds.AddX(_edges[i]);
            bounds.AddX(_edges[i + 1]);
            bounds.AddY(_heights[i], logY);
            bounds.AddY(0, logY); // bars grow from zero, keep it in view
        }
    }

    internal override void Paint(IPlotSurface surface, AxisMap map, double unit)
    {
        Color fill = Color.WithOpacity(Opacity * Color.Opacity);
        double baseline = map.Baseline;
        for (int i = 0; i < _heights.Length; i++)
        {
            double x0 = map.X(_edges[i]), x1 = map.X(_edges[i + 1]), top = map.Y(_heights[i]);
            if (!double.IsFinite(x0) || !double.IsFinite(x1) || !double.IsFinite(top)) continue;
            var rect = new RectD(Math.Min(x0, x1), Math.Min(top, baseline), Math.Abs(x1 - x0), Math.Abs(baseline - top));
            surface.Rect(rect, fill, Color, 0.8 * unit);
        }
    }

    internal override void PaintSwatch(IPlotSurface surface, RectD box, double unit) =>
        surface.Rect(box, Color.WithOpacity(Opacity * Color.Opacity), Color, 0.8 * unit);

    internal override IEnumerable<(double X, double Y)> Footprint(AxisMap map)
    {
        double baseline = map.Baseline;
        for (int i = 0; i < _heights.Length; i++)
        {
            double x0 = map.X(_edges[i]), x1 = map.X(_edges[i + 1]), top = map.Y(_heights[i]);
            if (!double.IsFinite(x0) || !double.IsFinite(x1) || !double.IsFinite(top)) continue;
            // Sample the bar's area on a coarse lattice.
            for (double x = Math.Min(x0, x1); x <= Math.Max(x0, x1); x += 6)
                for (double y = Math.Min(top, baseline); y <= Math.Max(top, baseline); y += 6)
                    yield return (x, y);
        }
    }
}
