namespace GanSharp.Figures;

/// <summary>Layout of an <see cref="ImageGrid"/>.</summary>
public sealed record ImageGridOptions
{
    /// <summary>Rows of tiles; 0 derives it from <see cref="Cols"/> and the image count.</summary>
    public int Rows { get; init; }

    /// <summary>Columns of tiles; 0 derives it (a near-square grid when both are 0).</summary>
    public int Cols { get; init; }

    /// <summary>Pixels between tiles and around the border (in output pixels, not upscaled).</summary>
    public int Padding { get; init; } = 2;

    /// <summary>Grey level in [0, 1] of the padding and of unused cells.</summary>
    public float Background { get; init; } = 1f;

    /// <summary>Integer nearest-neighbour upscale factor for each image (1 = native size).</summary>
    public int Scale { get; init; } = 1;

    /// <summary>
    /// A column to outline, e.g. the "nearest training example" column next to samples
    /// (Goodfellow et al. 2014, Figure 2). Null for none. Forces RGB output.
    /// </summary>
    public int? HighlightColumn { get; init; }

    public Color HighlightColor { get; init; } = Color.Yellow;
}
