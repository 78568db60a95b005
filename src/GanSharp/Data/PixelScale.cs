namespace GanSharp.Data;

/// <summary>The loaders' one pixel convention: bytes 0..255 become floats in [0, 1] (Goodfellow et al. 2014).</summary>
internal static class PixelScale
{
    /// <summary>value / 255, correctly rounded (multiplying by 1/255 can be one ulp off).</summary>
    public static float ToUnit(byte value) => value / 255f;

    public static void ToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] / 255f;
    }
}
