namespace GanSharp.Figures;

/// <summary>Direction of bitmap text on a <see cref="Canvas"/>.</summary>
public enum TextDirection
{
    /// <summary>Left to right.</summary>
    Horizontal,

    /// <summary>Rotated 90 degrees counter-clockwise, reading bottom to top (y-axis labels).</summary>
    Up,
}
