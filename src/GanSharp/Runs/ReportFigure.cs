using GanSharp.Figures;

namespace GanSharp.Runs;

/// <summary>A figure of a run: plots saved as NAME.png and NAME.svg (embedded as SVG), images as NAME.png.</summary>
internal sealed class ReportFigure
{
    private readonly Plot? _plot;
    private readonly PlotGrid? _grid;
    private readonly string? _svg;
    private readonly RasterImage? _image;

    public string Name { get; }
    public string Caption { get; }

    public ReportFigure(string name, string caption, Plot plot) : this(name, caption) => _plot = plot;
    public ReportFigure(string name, string caption, PlotGrid grid) : this(name, caption) => _grid = grid;
    public ReportFigure(string name, string caption, RasterImage image) : this(name, caption) => _image = image;
    private ReportFigure(string name, string caption, string svg) : this(name, caption) => _svg = svg;
    private ReportFigure(string name, string caption) { Name = name; Caption = caption; }

    /// <summary>A figure an earlier session of the run already saved (a resumed run's report keeps it).</summary>
    public static IEnumerable<ReportFigure> FromDisk(string directory, string name, string caption)
    {
        var path = Path.Combine(directory, name + ".svg");
        if (File.Exists(path)) yield return new ReportFigure(name, caption, File.ReadAllText(path));
    }

    public void Save(string directory)
    {
        string png = Path.Combine(directory, Name + ".png"), svg = Path.Combine(directory, Name + ".svg");
        if (_plot != null) { _plot.SavePng(png); _plot.SaveSvg(svg); }
        else if (_grid != null) { _grid.SavePng(png); _grid.SaveSvg(svg); }
        else _image?.Save(png);
    }

    public void AddTo(HtmlReport report)
    {
        if (_plot != null) report.Figure(_plot, Caption);
        else if (_grid != null) report.Figure(_grid, Caption);
        else if (_image != null) report.Image(_image, Caption);
        else report.Svg(StripXmlDeclaration(_svg!), Caption);
    }

    private static string StripXmlDeclaration(string svg) =>
        svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;
}
