namespace GanSharp.Figures;

/// <summary>Several plots side by side (rows x columns of panels), with an optional overall title.</summary>
public sealed class PlotGrid
{
    private readonly Plot?[,] _plots;

    public PlotGrid(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        _plots = new Plot?[rows, cols];
    }

    /// <summary>One row of panels.</summary>
    public static PlotGrid Row(params Plot[] plots)
    {
        ArgumentNullException.ThrowIfNull(plots);
        var grid = new PlotGrid(1, Math.Max(1, plots.Length));
        for (int i = 0; i < plots.Length; i++) grid[0, i] = plots[i];
        return grid;
    }

    public int Rows => _plots.GetLength(0);
    public int Cols => _plots.GetLength(1);

    public string? Title { get; set; }

    /// <summary>The panel at (row, col); null leaves the cell empty.</summary>
    public Plot? this[int row, int col]
    {
        get => _plots[row, col];
        set => _plots[row, col] = value;
    }

    /// <summary>SVG of the whole grid; a size of 0 picks 560x440 pixels per panel.</summary>
    public string ToSvg(int width = 0, int height = 0)
    {
        var (w, h) = Size(width, height);
        var svg = new SvgSurface(w, h);
        Paint(svg, w, h);
        return svg.ToString();
    }

    public void SaveSvg(string path, int width = 0, int height = 0) => AtomicFile.WriteAllText(path, Plot.SvgFile(ToSvg(width, height)));

    public Canvas Render(int width = 0, int height = 0)
    {
        var (w, h) = Size(width, height);
        var canvas = new Canvas(w, h, Color.White);
        Paint(new CanvasSurface(canvas), w, h);
        return canvas;
    }

    public byte[] ToPng(int width = 0, int height = 0) => Render(width, height).ToPng();

    public void SavePng(string path, int width = 0, int height = 0) => Render(width, height).SavePng(path);

    private (int Width, int Height) Size(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        return (width > 0 ? width : Cols * 560, height > 0 ? height : Rows * 440 + (string.IsNullOrWhiteSpace(Title) ? 0 : 40));
    }

    private void Paint(IPlotSurface s, int width, int height)
    {
        double top = 0;
        if (!string.IsNullOrWhiteSpace(Title))
        {
            // Size the overall title like a panel title.
            s.Unit = PlotPainter.UnitFor(new RectD(0, 0, (double)width / Cols, (double)height / Rows));
            double cap = s.MeasureText(Title, TextRole.Title).CapHeight;
            s.Text(Title, width / 2.0, 12 * s.Unit, TextRole.Title, new Color(34, 34, 34), HAlign.Center, VAlign.Top);
            top = Math.Round(cap + 20 * s.Unit);
        }
        double cellW = (double)width / Cols, cellH = (height - top) / Rows;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Cols; c++)
                if (_plots[r, c] is { } plot)
                    PlotPainter.Paint(plot, s, new RectD(Math.Round(c * cellW), Math.Round(top + r * cellH), Math.Round(cellW), Math.Round(cellH)));
    }
}
