namespace GanSharp.Figures;

/// <summary>Axis limits with tick positions and their labels, as computed by <see cref="NiceTicks"/>.</summary>
public sealed class AxisTicks
{
    internal AxisTicks(double min, double max, double step, double[] values, string[] labels, bool isLog)
    {
        Min = min;
        Max = max;
        Step = step;
        Values = values;
        Labels = labels;
        IsLog = isLog;
    }

    /// <summary>Lower axis limit.</summary>
    public double Min { get; }

    /// <summary>Upper axis limit.</summary>
    public double Max { get; }

    /// <summary>Distance between ticks (for log axes: in decades).</summary>
    public double Step { get; }

    /// <summary>Tick positions in data units, ascending.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Tick labels, formatted compactly with the invariant culture.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>True for a base-10 logarithmic axis.</summary>
    public bool IsLog { get; }
}
