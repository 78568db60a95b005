namespace GanSharp.Figures;

/// <summary>
/// One data series of a <see cref="Plot"/>. Each series knows its extent, how to draw itself on
/// a surface and what its legend swatch looks like; the set of kinds is closed (line, scatter,
/// bars, band) so that both renderers support every one.
/// </summary>
public abstract class PlotSeries
{
    private protected PlotSeries(string? label, Color color)
    {
        Label = label;
        Color = color;
    }

    /// <summary>Legend text; null or empty keeps the series out of the legend.</summary>
    public string? Label { get; }

    public Color Color { get; }

    /// <summary>Short kind name, used as the SVG group class ("line", "scatter", "bars", "band").</summary>
    public abstract string Kind { get; }

    internal abstract void Extend(ref DataBounds bounds, bool logY);

    internal abstract void Paint(IPlotSurface surface, AxisMap map, double unit);

    internal abstract void PaintSwatch(IPlotSurface surface, RectD box, double unit);

    /// <summary>How far drawing may stick out of the plot area (markers at the edges stay whole).</summary>
    internal virtual double ClipMargin(double unit) => 0;

    /// <summary>Pixel positions covered by the series, used to keep the legend off the data.</summary>
    internal abstract IEnumerable<(double X, double Y)> Footprint(AxisMap map);

    private protected static double[] ToArray(IEnumerable<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        return values.ToArray();
    }

    private protected static void RequireSameLength(double[] a, double[] b, string nameA, string nameB)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"{nameA} has {a.Length} values but {nameB} has {b.Length}.", nameB);
    }

    /// <summary>Splits mapped points into runs of finite points, calling <paramref name="run"/> for each.</summary>
    private protected static void ForEachRun(int count, Func<int, (double X, double Y)> point, RunAction run)
    {
        var buffer = new List<(double X, double Y)>();
        for (int i = 0; i <= count; i++)
        {
            (double X, double Y) p = i < count ? point(i) : (double.NaN, double.NaN);
            if (double.IsFinite(p.X) && double.IsFinite(p.Y))
            {
                buffer.Add(p);
                continue;
            }
            if (buffer.Count > 0) run(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer));
            buffer.Clear();
        }
    }

    private protected delegate void RunAction(ReadOnlySpan<(double X, double Y)> points);

    /// <summary>Samples points every few pixels along a polyline (legend placement only).</summary>
    private protected static IEnumerable<(double X, double Y)> SampleSegments(IReadOnlyList<(double X, double Y)> pts)
    {
        for (int i = 0; i < pts.Count; i++)
        {
            var a = pts[i];
            if (!double.IsFinite(a.X) || !double.IsFinite(a.Y)) continue;
            yield return a;
            if (i + 1 >= pts.Count) break;
            var b = pts[i + 1];
            if (!double.IsFinite(b.X) || !double.IsFinite(b.Y)) continue;
            int steps = (int)Math.Min(200, Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y)) / 5);
            for (int k = 1; k < steps; k++)
                yield return (a.X + (b.X - a.X) * k / steps, a.Y + (b.Y - a.Y) * k / steps);
        }
    }
}
