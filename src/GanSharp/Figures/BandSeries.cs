namespace GanSharp.Figures;

/// <summary>A translucent region between two curves over shared x values (e.g. mean ± std).</summary>
public sealed class BandSeries : PlotSeries
{
    private readonly double[] _xs, _lower, _upper;

    public BandSeries(IEnumerable<double> xs, IEnumerable<double> lower, IEnumerable<double> upper, string? label, Color color, double opacity = 0.25)
        : base(label, color)
    {
        _xs = ToArray(xs, nameof(xs));
        _lower = ToArray(lower, nameof(lower));
        _upper = ToArray(upper, nameof(upper));
        RequireSameLength(_xs, _lower, nameof(xs), nameof(lower));
        RequireSameLength(_xs, _upper, nameof(xs), nameof(upper));
        ArgumentOutOfRangeException.ThrowIfNegative(opacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opacity, 1);
        Opacity = opacity;
    }

    public IReadOnlyList<double> Xs => _xs;
    public IReadOnlyList<double> Lower => _lower;
    public IReadOnlyList<double> Upper => _upper;

    public double Opacity { get; }

    public override string Kind => "band";

    internal override void Extend(ref DataBounds bounds, bool logY)
    {
        for (int i = 0; i < _xs.Length; i++)
        {
            if (!double.IsFinite(_xs[i])) continue;
            bounds.AddX(_xs[i]);
            bounds.AddY(_lower[i], logY);
            bounds.AddY(_upper[i], logY);
        }
    }

    internal override void Paint(IPlotSurface surface, AxisMap map, double unit)
    {
        Color fill = Color.WithOpacity(Opacity * Color.Opacity);
        // Each stretch of complete (x, lower, upper) triples becomes one polygon: upper edge
        // left to right, then the lower edge back.
        int start = 0;
        for (int i = 0; i <= _xs.Length; i++)
        {
            bool ok = i < _xs.Length && double.IsFinite(map.X(_xs[i])) &&
                      double.IsFinite(map.Y(_lower[i])) && double.IsFinite(map.Y(_upper[i]));
            if (ok) continue;
            if (i - start >= 2)
            {
                var polygon = new (double X, double Y)[2 * (i - start)];
                for (int k = start; k < i; k++)
                {
                    polygon[k - start] = (map.X(_xs[k]), map.Y(_upper[k]));
                    polygon[^(k - start + 1)] = (map.X(_xs[k]), map.Y(_lower[k]));
                }
                surface.Polygon(polygon, fill);
            }
            start = i + 1;
        }
    }

    internal override void PaintSwatch(IPlotSurface surface, RectD box, double unit) =>
        surface.Rect(box, Color.WithOpacity(Math.Max(Opacity, 0.3) * Color.Opacity));

    internal override IEnumerable<(double X, double Y)> Footprint(AxisMap map)
    {
        for (int i = 0; i < _xs.Length; i++)
        {
            double x = map.X(_xs[i]), lo = map.Y(_lower[i]), hi = map.Y(_upper[i]);
            if (!double.IsFinite(x) || !double.IsFinite(lo) || !double.IsFinite(hi)) continue;
            for (double y = Math.Min(lo, hi); y <= Math.Max(lo, hi); y += 6)
                yield return (x, y);
        }
    }
}
