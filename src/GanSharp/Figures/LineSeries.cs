namespace GanSharp.Figures;

/// <summary>A line through (x, y) points; non-finite values (and non-positive y on a log axis) break the line.</summary>
public sealed class LineSeries : PlotSeries
{
    private readonly double[] _xs, _ys;

    public LineSeries(IEnumerable<double> xs, IEnumerable<double> ys, string? label, Color color, double width = 1.5)
        : base(label, color)
    {
        _xs = ToArray(xs, nameof(xs));
        _ys = ToArray(ys, nameof(ys));
        RequireSameLength(_xs, _ys, nameof(xs), nameof(ys));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Width = width;
    }

    public IReadOnlyList<double> Xs => _xs;
    public IReadOnlyList<double> Ys => _ys;

    /// <summary>Stroke width in pixels at a 640x480 panel size.</summary>
    public double Width { get; }

    public override string Kind => "line";

    internal override void Extend(ref DataBounds bounds, bool logY)
    {
        for (int i = 0; i < _xs.Length; i++)
        {
            if (!double.IsFinite(_xs[i]) || !double.IsFinite(_ys[i]) || (logY && _ys[i] <= 0)) continue;
            bounds.AddX(_xs[i]);
            bounds.AddY(_ys[i], logY);
        }
    }

    internal override void Paint(IPlotSurface surface, AxisMap map, double unit)
    {
        double width = Width * unit;
        ForEachRun(_xs.Length, i => (map.X(_xs[i]), map.Y(_ys[i])), run => surface.Polyline(run, Color, width));
    }

    internal override void PaintSwatch(IPlotSurface surface, RectD box, double unit)
    {
        // A whole-pixel width on a matching pixel row keeps the short sample line sharp.
        double width = Math.Max(2, Math.Round(Width * unit));
        double y = width % 2 == 1 ? Math.Floor(box.CenterY) + 0.5 : Math.Round(box.CenterY);
        surface.Line(box.X, y, box.Right, y, Color, width);
    }

    internal override IEnumerable<(double X, double Y)> Footprint(AxisMap map) =>
        SampleSegments(_xs.Select((x, i) => (map.X(x), map.Y(_ys[i]))).ToArray());
}
