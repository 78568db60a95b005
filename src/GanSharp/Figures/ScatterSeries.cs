namespace GanSharp.Figures;

/// <summary>Round markers at (x, y) points; points outside the axis limits are not drawn.</summary>
public sealed class ScatterSeries : PlotSeries
{
    private readonly double[] _xs, _ys;

    public ScatterSeries(IEnumerable<double> xs, IEnumerable<double> ys, string? label, Color color, double size = 5)
        : base(label, color)
    {
        _xs = ToArray(xs, nameof(xs));
        _ys = ToArray(ys, nameof(ys));
        RequireSameLength(_xs, _ys, nameof(xs), nameof(ys));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
    }

    public IReadOnlyList<double> Xs => _xs;
    public IReadOnlyList<double> Ys => _ys;

    /// <summary>Marker diameter in pixels at a 640x480 panel size.</summary>
    public double Size { get; }

    public override string Kind => "scatter";

    internal override void Extend(ref DataBounds bounds, bool logY)
    {
        for (int i = 0; i < _xs.Length; i++)
        {
            if (!double.IsFinite(_xs[i]) || !double.IsFinite(_ys[i]) || (logY && _ys[i] <= 0)) continue;
            bounds.AddX(_xs[i]);
            bounds.AddY(_ys[i], logY);
        }
    }

    internal override double ClipMargin(double unit) => Size * unit / 2 + 1;

    internal override void Paint(IPlotSurface surface, AxisMap map, double unit)
    {
        double r = Size * unit / 2;
        for (int i = 0; i < _xs.Length; i++)
            if (map.InLimits(_xs[i], _ys[i]))
                surface.Circle(map.X(_xs[i]), map.Y(_ys[i]), r, Color);
    }

    internal override void PaintSwatch(IPlotSurface surface, RectD box, double unit) =>
        surface.Circle(box.CenterX, box.CenterY, Math.Max(Size, 6) * unit / 2, Color);

    internal override IEnumerable<(double X, double Y)> Footprint(AxisMap map)
    {
        for (int i = 0; i < _xs.Length; i++)
            if (map.InLimits(_xs[i], _ys[i]))
                yield return (map.X(_xs[i]), map.Y(_ys[i]));
    }
}
