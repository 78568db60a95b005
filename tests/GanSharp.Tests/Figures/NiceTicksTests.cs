using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class NiceTicksTests
{
    private static void AssertNiceStep(double step)
    {
        double exponent = Math.Floor(Math.Log10(step));
        double mantissa = step / Math.Pow(10, exponent);
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 101)]
    [InlineData(-3.7, 12.2)]
    [InlineData(0.0013, 0.0021)]
    [InlineData(-1e6, 3e6)]
    [InlineData(0.3, 1.9)]
    [InlineData(199, 201)]
    [InlineData(-5e-7, -1e-7)]
    [InlineData(7, 7)]
    [InlineData(0, 0)]
    public void LinearTicks_AreNiceAndCoverTheRange(double min, double max)
    {
        foreach (int maxTicks in new[] { 3, 5, 8, 10 })
        {
            var t = NiceTicks.Linear(min, max, maxTicks);

            AssertNiceStep(t.Step);
            Assert.InRange(t.Values.Count, 2, maxTicks);
            Assert.True(t.Values[0] <= min && t.Values[^1] >= max, $"[{t.Values[0]}, {t.Values[^1]}] covers [{min}, {max}]");
            Assert.Equal(t.Values[0], t.Min);
            Assert.Equal(t.Values[^1], t.Max);
            foreach (double v in t.Values)
                Assert.Equal(Math.Round(v / t.Step), v / t.Step, 6); // multiples of the step
            for (int i = 1; i < t.Values.Count; i++)
                Assert.Equal(t.Step, t.Values[i] - t.Values[i - 1], t.Step * 1e-9);
            Assert.Equal(t.Values.Count, t.Labels.Distinct().Count()); // labels tell ticks apart
        }
    }

    [Fact]
    public void FixedLimits_AreKept_AndTicksLieInside()
    {
        var t = NiceTicks.Linear(0.15, 0.83, 8, expandToTicks: false);
        Assert.Equal(0.15, t.Min);
        Assert.Equal(0.83, t.Max);
        Assert.Equal(new[] { 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8 }, t.Values);
        Assert.Equal(new[] { "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8" }, t.Labels);
    }

    [Fact]
    public void TypicalRanges_GiveTheExpectedTicks()
    {
        Assert.Equal(new[] { 0.0, 20, 40, 60, 80, 100 }, NiceTicks.Linear(0, 100, 8).Values);
        Assert.Equal(new[] { "0", "0.2", "0.4", "0.6", "0.8", "1.0" }, NiceTicks.Linear(0, 1, 8).Labels);
        Assert.Equal(new[] { "-0.4", "-0.2", "0", "0.2" }, NiceTicks.Linear(-0.4, 0.2, 4).Labels);
        Assert.Equal(new[] { "-4", "-2", "0", "2", "4", "6", "8", "10", "12", "14" }, NiceTicks.Linear(-3.7, 12.2, 10).Labels);
    }

    [Theory]
    [InlineData(0.30000000000000004, 0.1, "0.3")]
    [InlineData(-0.0, 0.5, "0")]
    [InlineData(1e-17, 0.1, "0")]
    [InlineData(-1e-17, 0.1, "0")]
    [InlineData(2500, 500, "2500")]
    [InlineData(0.0002, 0.0001, "2e-4")]
    [InlineData(0.00025, 0.00005, "2.5e-4")]
    [InlineData(1500000, 500000, "1.5e6")]
    [InlineData(-2000000, 1000000, "-2e6")]
    [InlineData(0.125, 0.005, "0.125")]
    public void Format_IsCompactAndInvariant(double value, double step, string expected)
    {
        Assert.Equal(expected, NiceTicks.Format(value, step));
    }

    [Fact]
    public void Format_IgnoresTheCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma (built by hand: works under invariant globalization too).
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            string a = NiceTicks.Format(1.5, 0.5);
            Assert.Equal("1.5", a);
            Assert.DoesNotContain(",", string.Join(" ", NiceTicks.Linear(0.1, 0.9).Labels));
            var svg = System.Xml.Linq.XDocument.Parse(new Plot { Title = "t" }.Line([0.1, 0.2], [0.5, 0.7]).ToSvg());
            Assert.All(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => Assert.DoesNotContain(",", t.Value));
            string[] numeric = ["x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r", "stroke-width", "font-size"];
            Assert.All(svg.Descendants().SelectMany(e => e.Attributes()).Where(a => numeric.Contains(a.Name.LocalName)),
                a => Assert.True(double.TryParse(a.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), a.ToString()));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(0.003, 450)]
    [InlineData(1, 10)]
    [InlineData(2, 7)]
    [InlineData(1e-12, 1e12)]
    public void LogTicks_AreDecadesCoveringTheRange(double min, double max)
    {
        var t = NiceTicks.Log(min, max, 8);
        Assert.True(t.IsLog);
        Assert.True(t.Min <= min && t.Max >= max);
        Assert.InRange(t.Values.Count, 2, 3 * 8);
        foreach (double v in t.Values)
        {
            double m = v / Math.Pow(10, Math.Floor(Math.Log10(v) + 1e-9));
            Assert.Contains(Math.Round(m, 6), new[] { 1.0, 2.0, 5.0 });
        }
        Assert.Equal(t.Values.Count, t.Labels.Distinct().Count());
    }

    [Fact]
    public void LogTicks_Labels()
    {
        Assert.Equal(new[] { "0.01", "0.1", "1", "10", "100", "1000" }, NiceTicks.Log(0.03, 800, 8).Labels);
        Assert.Equal(new[] { "1e-8", "1e-6", "1e-4", "0.01", "1" }, NiceTicks.Log(1e-8, 1, 5).Labels);
    }

    [Fact]
    public void NonFiniteLimits_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => NiceTicks.Linear(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => NiceTicks.Log(0, 1));
    }
}
