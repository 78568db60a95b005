namespace GanSharp.Figures;

/// <summary>An axis-aligned rectangle in pixel coordinates (y grows downwards).</summary>
internal readonly record struct RectD(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;

    public bool Contains(double x, double y) => x >= X && x <= Right && y >= Y && y <= Bottom;

    public RectD Inflate(double by) => new(X - by, Y - by, Width + 2 * by, Height + 2 * by);
}
