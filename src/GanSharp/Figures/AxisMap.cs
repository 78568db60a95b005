namespace GanSharp.Figures;

/// <summary>Maps data coordinates to pixel coordinates inside a plot area.</summary>
internal readonly record struct AxisMap(RectD Area, double XMin, double XMax, double YMin, double YMax, bool LogY)
{
    public double X(double v) => Area.X + (v - XMin) / (XMax - XMin) * Area.Width;

    /// <summary>Pixel y of a data value; NaN where a log axis cannot show it (v &lt;= 0).</summary>
    public double Y(double v)
    {
        if (LogY)
        {
            if (!(v > 0)) return double.NaN;
            return Area.Bottom - (Math.Log10(v) - Math.Log10(YMin)) / (Math.Log10(YMax) - Math.Log10(YMin)) * Area.Height;
        }
        return Area.Bottom - (v - YMin) / (YMax - YMin) * Area.Height;
    }

    /// <summary>Pixel y of a bar's base: zero, or the bottom edge on a log axis.</summary>
    public double Baseline => LogY ? Area.Bottom : Math.Clamp(Y(0), Area.Y - 1, Area.Bottom + 1);

    public bool InLimits(double x, double y) =>
        x >= XMin && x <= XMax && y >= YMin && y <= YMax && (!LogY || y > 0);
}
