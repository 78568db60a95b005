namespace GanSharp.Figures;

/// <summary>Where a plot's legend goes, inside the plot area.</summary>
public enum LegendLocation
{
    /// <summary>The corner that hides the least data (upper right on ties).</summary>
    Auto,
    UpperRight,
    UpperLeft,
    LowerLeft,
    LowerRight,

    /// <summary>No legend.</summary>
    None,
}
