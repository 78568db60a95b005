namespace GanSharp.Figures;

/// <summary>
/// The five PNG scanline filters (spec section 9). Each predicts a byte from its left (a),
/// upper (b) and upper-left (c) neighbours at the same channel; bytes left of the row are 0,
/// and the row above the first one is all zeros.
/// </summary>
internal static class PngFilter
{
    public const byte None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4;

    public static byte PaethPredictor(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="type"/> into <paramref name="dest"/>.</summary>
    public static void Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dest)
    {
        for (int i = 0; i < row.Length; i++)
        {
            byte a = i >= bpp ? row[i - bpp] : (byte)0;
            byte b = prior[i];
            byte c = i >= bpp ? prior[i - bpp] : (byte)0;
            dest[i] = type switch
            {
                None => row[i],
                Sub => (byte)(row[i] - a),
                Up => (byte)(row[i] - b),
                Average => (byte)(row[i] - ((a + b) >> 1)),
                _ => (byte)(row[i] - PaethPredictor(a, b, c)),
            };
        }
    }

    /// <summary>Reverses a filter in place; <paramref name="prior"/> is the already reconstructed row above.</summary>
    public static void Undo(byte type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (type)
        {
            case None:
                break;
            case Sub:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case Up:
                for (int i = 0; i < row.Length; i++) row[i] += prior[i];
                break;
            case Average:
                for (int i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) >> 1);
                break;
            case Paeth:
                for (int i = 0; i < row.Length; i++)
                    row[i] += i >= bpp ? PaethPredictor(row[i - bpp], prior[i], prior[i - bpp]) : prior[i];
                break;
            default:
                throw new PngFormatException($"invalid filter type {type} (must be 0..4)");
        }
    }

    /// <summary>
    /// The usual encoder heuristic (libpng's): try every filter and keep the one whose output,
    /// read as signed bytes, has the smallest sum of magnitudes; it tends to compress best.
    /// </summary>
    public static byte ChooseAndApply(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dest, Span<byte> scratch)
    {
        byte best = None;
        long bestScore = long.MaxValue;
        for (byte type = None; type <= Paeth; type++)
        {
            Apply(type, row, prior, bpp, scratch);
            long score = 0;
            foreach (byte v in scratch) score += v < 128 ? v : 256 - v;
            if (score < bestScore)
            {
                bestScore = score;
                best = type;
                scratch.CopyTo(dest);
            }
        }
        return best;
    }
}
