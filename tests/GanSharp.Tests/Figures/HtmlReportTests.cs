using System.Text.RegularExpressions;
using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class HtmlReportTests
{
    [Fact]
    public void AllTextIsEscaped()
    {
        string evil = "<script>alert('x')</script> & \"q\"";
        string html = new HtmlReport(evil)
            .Section(evil)
            .Paragraph(evil)
            .KeyValueTable([(evil, (object?)evil)], caption: evil)
            .Table([evil], [[evil]], evil)
            .Preformatted(evil)
            .ToHtml();

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", html);
    }

    [Fact]
    public void Structure_IsASelfContainedPage()
    {
        string html = new HtmlReport("Run 7")
            .Section("Config")
            .KeyValueTable(new Dictionary<string, string> { ["lr"] = "2e-4" })
            .Section("Results")
            .Heading("Detail", 3)
            .Table(["epoch", "loss"], [[1, 0.5], [2, 0.25]])
            .ToHtml();

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<meta charset=\"utf-8\">", html);
        Assert.Contains("<style>", html);
        Assert.Contains("<title>Run 7</title>", html);
        Assert.Equal(2, Regex.Matches(html, "<section>").Count);
        Assert.Equal(2, Regex.Matches(html, "</section>").Count);
        Assert.Contains("<h3>Detail</h3>", html);
        Assert.Contains("<td class=\"num\">0.25</td>", html);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", "")); // nothing external
    }

    [Fact]
    public void Numbers_UseTheInvariantCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            string html = new HtmlReport("n").KeyValueTable([("lr", (object?)0.0002), ("beta", 0.5f)]).ToHtml();
            Assert.Contains(">0.0002<", html);
            Assert.Contains(">0.5<", html);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Figures_AreEmbedded_SvgInlineAndPngAsDataUri()
    {
        var plot = new Plot { Title = "curve" }.Line([0, 1, 2], [1, 0, 1], "l");
        byte[] png = PngWriter.Encode(2, 1, 1, [0, 255]);
        string html = new HtmlReport("figs")
            .Figure(plot, "Figure 1 <loss>")
            .Svg(Plot.SvgFile(plot.ToSvg()), "again")
            .Png(png, "tiny", displayScale: 4)
            .Image(new RasterImage(1, 1, 3, [1, 2, 3]), "one pixel")
            .ToHtml();

        Assert.Equal(2, Regex.Matches(html, "<svg ").Count);
        Assert.DoesNotContain("<?xml", html);
        Assert.Contains("<figcaption>Figure 1 &lt;loss&gt;</figcaption>", html);

        var uris = Regex.Matches(html, "src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, uris.Count);
        Assert.Equal(png, Convert.FromBase64String(uris[0]));
        Assert.Equal(new byte[] { 1, 2, 3 }, PngReader.Decode(Convert.FromBase64String(uris[1])).Pixels);
        Assert.Contains("width=\"8\" height=\"4\"", html);
        Assert.Contains("class=\"pixelated\"", html);
    }

    [Fact]
    public void Save_WritesUtf8Atomically()
    {
        string dir = Directory.CreateTempSubdirectory("gansharp-html-").FullName;
        try
        {
            string path = Path.Combine(dir, "report.html");
            new HtmlReport("caf\u00e9").Paragraph("\u03bb = 0.5").Save(path);
            string text = File.ReadAllText(path);
            Assert.Contains("caf\u00e9", text);
            Assert.Contains("\u03bb = 0.5", text);
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
