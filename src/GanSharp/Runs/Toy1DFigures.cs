using GanSharp.Evaluation;
using GanSharp.Figures;
using GanSharp.Gan;

namespace GanSharp.Runs;

/// <summary>The figures of the 1-D Gaussian study, as plots (saved as PNG and SVG, and embedded in the report).</summary>
public static class Toy1DFigures
{
    private static readonly Color DataColor = Color.Series(0), DColor = Color.Series(1), PgColor = Color.Series(2), DStarColor = Color.Series(3);

    /// <summary>1. p_data with the decision boundary of the untrained discriminator.</summary>
    public static Plot Initial(DensityCurves1D c) => new Plot
    {
        Title = "Data density and initial decision boundary",
        XLabel = "x",
        YLabel = "density / D(x)",
    }
        .Line(c.X, c.PData, "p_data", DataColor)
        .Line(c.X, c.D, "D(x), untrained", DColor);

    /// <summary>2. Discriminator pre-training: its loss, and the decision surface it reached.</summary>
    public static PlotGrid Pretraining(float[] losses, DensityCurves1D after)
    {
        var loss = new Plot { Title = "Pre-training loss", XLabel = "step", YLabel = "loss" }
            .Line(Enumerable.Range(1, losses.Length).Select(i => (double)i), losses.Select(l => (double)l), "D loss", DColor);
        var surface = new Plot { Title = "Pre-trained decision surface", XLabel = "x", YLabel = "density / D(x)" }
            .Line(after.X, after.PData, "p_data", DataColor)
            .Line(after.X, after.D, "D(x), pre-trained", DColor);
        return PlotGrid.Row(loss, surface);
    }

    /// <summary>4. The final fit: p_data, G's samples (p_g), D(x), and the optimal D*(x) = p_data / (p_data + p_g).</summary>
    public static Plot Final(DensityCurves1D c) => new Plot
    {
        Title = "Final fit: p_data, p_g, D(x) and D*(x)",
        XLabel = "x",
        YLabel = "density / D(x)",
        XLimits = (c.X[0], c.X[^1]),
    }
        .Histogram(c.Samples.Where(s => s >= c.X[0] && s <= c.X[^1]).Select(s => (double)s), 60, "p_g (G samples)", PgColor, density: true, range: (c.X[0], c.X[^1]))
        .Line(c.X, c.PData, "p_data", DataColor)
        .Line(c.X, c.D, "D(x)", DColor)
        .Line(c.X, c.DStar, "D*(x) = p_data / (p_data + p_g)", DStarColor, 1.2);
}
