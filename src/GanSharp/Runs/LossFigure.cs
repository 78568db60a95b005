using GanSharp.Figures;
using GanSharp.Gan;

namespace GanSharp.Runs;

/// <summary>The losses of both players against steps, for any run.</summary>
public static class LossFigure
{
    /// <summary>3. Training losses of D and G against steps, with the value at equilibrium.</summary>
    public static Plot Create(IReadOnlyList<StepMetrics> rows, string dLossAtEquilibriumLabel = "D loss at equilibrium (log 4)")
    {
        var steps = rows.Select(r => (double)r.Step).ToArray();
        var plot = new Plot { Title = "Training losses", XLabel = "step", YLabel = "loss" }
            .Line(steps, rows.Select(r => (double)r.DiscriminatorLoss), "D loss", Color.Series(1))
            .Line(steps, rows.Select(r => (double)r.GeneratorLoss), "G loss", Color.Series(2));
        if (steps.Length > 1)
            plot.Line([steps[0], steps[^1]], [Math.Log(4), Math.Log(4)], dLossAtEquilibriumLabel, Color.Gray, 1);
        return plot;
    }
}
