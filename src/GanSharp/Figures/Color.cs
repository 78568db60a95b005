using System.Globalization;

namespace GanSharp.Figures;

/// <summary>An 8-bit sRGB colour with straight (non-premultiplied) alpha.</summary>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    public static Color White => new(255, 255, 255);
    public static Color Black => new(0, 0, 0);
    public static Color Red => new(214, 39, 40);
    public static Color Green => new(44, 160, 44);
    public static Color Blue => new(31, 119, 180);
    public static Color Orange => new(255, 127, 14);
    public static Color Yellow => new(255, 221, 0);
    public static Color Gray => new(127, 127, 127);
    public static Color LightGray => new(224, 224, 224);
    public static Color DarkGray => new(64, 64, 64);

    // The ten "tab10" (Tableau) colours matplotlib cycles through: distinct and colour-blind friendly enough.
    private static readonly Color[] Tab10 =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>The series palette (tab10-like), in cycling order.</summary>
    public static IReadOnlyList<Color> Palette => Tab10;

    /// <summary>Palette colour for the <paramref name="index"/>-th series (wraps around).</summary>
    public static Color Series(int index) => Tab10[((index % Tab10.Length) + Tab10.Length) % Tab10.Length];

    /// <summary>Opacity in [0, 1].</summary>
    public double Opacity => A / 255.0;

    /// <summary>Same colour with the given opacity in [0, 1].</summary>
    public Color WithOpacity(double opacity) => this with { A = (byte)Math.Round(Math.Clamp(opacity, 0, 1) * 255) };

    /// <summary>Linear mix towards <paramref name="other"/> (t = 0 gives this, 1 gives other); alpha is mixed too.</summary>
    public Color Lerp(Color other, double t)
    {
        t = Math.Clamp(t, 0, 1);
        static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);
        return new(Mix(R, other.R, t), Mix(G, other.G, t), Mix(B, other.B, t), Mix(A, other.A, t));
    }

    /// <summary>A grey level in [0, 1] as an opaque colour.</summary>
    public static Color FromGray(double level)
    {
        byte v = (byte)Math.Round(Math.Clamp(double.IsNaN(level) ? 0 : level, 0, 1) * 255);
        return new(v, v, v);
    }

    /// <summary>"#rrggbb" (alpha is not included; SVG carries it separately as an opacity).</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>Parses "#rgb", "#rrggbb" or "#rrggbbaa".</summary>
    public static Color Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> s = hex.AsSpan().TrimStart('#');
        static byte H(ReadOnlySpan<char> p) => byte.Parse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return s.Length switch
        {
            3 => new((byte)(H(s[0..1]) * 17), (byte)(H(s[1..2]) * 17), (byte)(H(s[2..3]) * 17)),
            6 => new(H(s[0..2]), H(s[2..4]), H(s[4..6])),
            8 => new(H(s[0..2]), H(s[2..4]), H(s[4..6]), H(s[6..8])),
            _ => throw new FormatException($"'{hex}' is not a #rgb, #rrggbb or #rrggbbaa colour."),
        };
    }

    public override string ToString() =>
        A == 255 ? ToHex() : string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}{A:x2}");
}
