namespace GanSharp.Figures;

/// <summary>Running extent of the finite data values of a plot's series.</summary>
internal struct DataBounds()
{
    public double XMin = double.PositiveInfinity, XMax = double.NegativeInfinity;
    public double YMin = double.PositiveInfinity, YMax = double.NegativeInfinity;

    public readonly bool HasX => XMin <= XMax;
    public readonly bool HasY => YMin <= YMax;

    public void AddX(double x)
    {
        if (!double.IsFinite(x)) return;
        XMin = Math.Min(XMin, x);
        XMax = Math.Max(XMax, x);
    }

    /// <summary>Adds a y value; on a log axis only positive values count.</summary>
    public void AddY(double y, bool logY)
    {
        if (!double.IsFinite(y) || (logY && y <= 0)) return;
        YMin = Math.Min(YMin, y);
        YMax = Math.Max(YMax, y);
    }
}
