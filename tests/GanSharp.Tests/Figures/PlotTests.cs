using System.Xml.Linq;
using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class PlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Plot Sample()
    {
        double[] xs = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        return new Plot { Title = "Losses", XLabel = "epoch", YLabel = "loss" }
            .Line(xs, xs.Select(x => Math.Exp(-x / 20)), "discriminator")
            .Line(xs, xs.Select(x => 1 - Math.Exp(-x / 10)), "generator")
            .Scatter([1, 2, 3], [0.2, 0.4, 0.6], "points", size: 6)
            .Bars([0, 10, 20, 30], [0.1, 0.3, 0.2], "hist")
            .Band(xs, xs.Select(x => 0.1), xs.Select(x => 0.2), "band");
    }

    private static IEnumerable<XElement> SeriesGroups(XDocument doc, string kind) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series " + kind);

    [Fact]
    public void Svg_IsWellFormedXml_WithViewBoxAndSansSerifFont()
    {
        var doc = XDocument.Parse(Sample().ToSvg(800, 600));
        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("0 0 800 600", (string?)root.Attribute("viewBox"));
        Assert.Contains("sans-serif", (string?)root.Attribute("font-family"));
    }

    [Fact]
    public void Svg_ContainsEverySeries_WithTheirLabels()
    {
        var doc = XDocument.Parse(Sample().ToSvg());

        var lines = SeriesGroups(doc, "line").ToList();
        Assert.Equal(new[] { "discriminator", "generator" }, lines.Select(g => (string?)g.Attribute("data-label")));
        Assert.All(lines, g => Assert.Equal(50, g.Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(3, SeriesGroups(doc, "scatter").Single().Elements(Svg + "circle").Count());
        Assert.Equal(3, SeriesGroups(doc, "bars").Single().Elements(Svg + "rect").Count());
        Assert.Contains("fill-opacity", SeriesGroups(doc, "bars").Single().Elements(Svg + "rect").First().ToString());
        Assert.Single(SeriesGroups(doc, "band").Single().Elements(Svg + "polygon"));

        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Losses", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
        foreach (string label in new[] { "discriminator", "generator", "points", "hist", "band" })
            Assert.Contains(label, texts); // legend entries
    }

    [Fact]
    public void Svg_EscapesText()
    {
        string nasty = "a <b> & \"c\" 'd' \u0001";
        var plot = new Plot { Title = nasty, XLabel = "</svg>" }.Line([0, 1], [0, 1], nasty);
        string svg = plot.ToSvg();
        var doc = XDocument.Parse(svg);
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("a <b> & \"c\" 'd' \uFFFD", texts);
        Assert.Contains("</svg>", texts);
        Assert.Equal(1, svg.Split("</svg>").Length - 1);
    }

    [Fact]
    public void Svg_TickLabelsUseTheInvariantCultureAndNiceValues()
    {
        var plot = new Plot().Line([0, 0.5, 1.0], [0.3, 2.7, 1.1]);
        var doc = XDocument.Parse(plot.ToSvg());
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("0.5", texts);
        Assert.DoesNotContain(texts, t => t.Contains(','));
    }

    [Fact]
    public void FixedLimits_AndLogScale_AreHonoured()
    {
        var plot = new Plot { XLimits = (0, 10), YLimits = (1e-3, 1e2), LogY = true }.Line([0, 5, 10], [1e-3, 1, 100], "l");
        var texts = XDocument.Parse(plot.ToSvg()).Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("0.001", texts);
        Assert.Contains("100", texts);
        Assert.Contains("10", texts);

        Assert.Throws<ArgumentException>(() => new Plot { XLimits = (1, 1) });
        Assert.Throws<InvalidOperationException>(() => new Plot { LogY = true, YLimits = (-1, 1) }.ToSvg());
    }

    [Fact]
    public void EmptyAndDegeneratePlots_StillRender()
    {
        XDocument.Parse(new Plot().ToSvg());
        XDocument.Parse(new Plot().Line([1, 1, 1], [5, 5, 5]).ToSvg());
        XDocument.Parse(new Plot { LogY = true }.Line([0, 1], [-1, 0]).ToSvg());
        XDocument.Parse(new Plot().Line([0, 1, 2, 3], [1, double.NaN, 2, double.PositiveInfinity], "gaps").ToSvg());
        new Plot().Line([1, 2], [3, 4]).Render(120, 90);
    }

    [Fact]
    public void Histogram_CountsAndDensity()
    {
        var plot = new Plot().Histogram([0, 0.1, 0.5, 0.9, 1.0], bins: 2).Histogram([0, 1, 1, 1], bins: 4, density: true);
        var counts = (BarSeries)plot.Series[0];
        Assert.Equal(new[] { 0, 0.5, 1 }, counts.Edges);
        Assert.Equal(new[] { 2.0, 3.0 }, counts.Heights);
        var density = (BarSeries)plot.Series[1];
        double area = density.Heights.Select((h, i) => h * (density.Edges[i + 1] - density.Edges[i])).Sum();
        Assert.Equal(1.0, area, 9);
    }

    [Fact]
    public void SeriesColours_CycleThroughThePalette_UnlessGiven()
    {
        var plot = new Plot().Line([0, 1], [0, 1]).Line([0, 1], [1, 0], color: Color.Black).Scatter([0], [0]);
        Assert.Equal(Color.Series(0), plot.Series[0].Color);
        Assert.Equal(Color.Black, plot.Series[1].Color);
        Assert.Equal(Color.Series(1), plot.Series[2].Color);
    }

    [Fact]
    public void Png_HasTheRequestedSize_AndShowsTheSeriesColour()
    {
        var red = new Color(220, 0, 0);
        var canvas = new Plot { Title = "t" }.Line([0, 1, 2], [0, 2, 1], "red", red, width: 3).Render(320, 240);
        Assert.Equal((320, 240), (canvas.Width, canvas.Height));
        int redPixels = 0, other = 0;
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
            {
                var p = canvas.GetPixel(x, y);
                if (p == red) redPixels++;
                else if (p != Color.White) other++;
            }
        Assert.True(redPixels > 200, $"{redPixels} red pixels");
        Assert.True(other > 200, "axes, ticks and text are drawn");
    }

    [Fact]
    public void SavePngAndSvg_WriteReadableFiles()
    {
        string dir = Directory.CreateTempSubdirectory("gansharp-plot-").FullName;
        try
        {
            var plot = Sample();
            plot.SavePng(Path.Combine(dir, "p.png"), 400, 300);
            plot.SaveSvg(Path.Combine(dir, "p.svg"));
            var png = PngReader.Read(Path.Combine(dir, "p.png"));
            Assert.Equal((400, 300, 3), (png.Width, png.Height, png.Channels));
            var doc = XDocument.Load(Path.Combine(dir, "p.svg"));
            Assert.Equal(Svg + "svg", doc.Root!.Name);
            Assert.Equal(2, Directory.GetFiles(dir).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PlotGrid_PlacesPanelsSideBySide_WithUniqueClipIds()
    {
        var grid = PlotGrid.Row(Sample(), Sample());
        grid.Title = "Two";
        var doc = XDocument.Parse(grid.ToSvg(1000, 400));
        Assert.Equal(4, SeriesGroups(doc, "line").Count());
        var ids = doc.Descendants(Svg + "clipPath").Select(c => (string)c.Attribute("id")!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal((1000, 400), (grid.Render(1000, 400).Width, 400));
    }

    [Fact]
    public void TwoSvgs_UseDifferentIds_SoTheyCanShareAPage()
    {
        var plot = Sample();
        string Ids(string svg) => string.Join(",", XDocument.Parse(svg).Descendants(Svg + "clipPath").Select(c => (string)c.Attribute("id")!));
        Assert.NotEqual(Ids(plot.ToSvg()), Ids(plot.ToSvg()));
    }
}
