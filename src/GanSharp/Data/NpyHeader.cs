using System.Globalization;
using System.Text;

namespace GanSharp.Data;

/// <summary>
/// The header dictionary of a .npy file, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>:
/// a Python literal with exactly those three keys. <see cref="Parse"/> accepts the subset of Python
/// literal syntax numpy writes (either quote style, trailing commas, Python 2 'L' suffixes).
/// </summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, int[] Shape)
{
    /// <summary>numpy's NPY_MAXDIMS was 32 for most of its history; deeper arrays are surely corrupt here.</summary>
    public const int MaxDimensions = 32;

    /// <summary>numpy aligns the data start to 64 bytes so arrays can be memory-mapped.</summary>
    public const int Alignment = 64;

    /// <summary>The header text numpy would write, padded with spaces and a newline so the data starts aligned.</summary>
    public static string Format(string descr, ReadOnlySpan<int> shape, int prefixLength)
    {
        var sb = new StringBuilder();
        sb.Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.Length; i++)
            sb.Append(i == 0 ? "" : ", ").Append(shape[i].ToString(CultureInfo.InvariantCulture));
        if (shape.Length == 1) sb.Append(','); // (5,) is a tuple, (5) is not
        sb.Append("), }");
        int unpadded = prefixLength + sb.Length + 1;
        sb.Append(' ', (Alignment - unpadded % Alignment) % Alignment).Append('\n');
        return sb.ToString();
    }

    /// <summary>Parses header text; errors name <paramref name="source"/>.</summary>
    public static NpyHeader Parse(string text, string source) => new Parser(text, source).ParseHeader();

    private sealed class Parser(string text, string source)
    {
        private int _pos;

        private DataFormatException Fail(string problem) =>
            DataFormatException.In(source, $"bad .npy header ({problem}) in {Quote(text)}");

        public NpyHeader ParseHeader()
        {
            string? descr = null;
            bool? fortran = null;
            int[]? shape = null;

            SkipSpace();
            Expect('{');
            SkipSpace();
            while (Peek() != '}')
            {
                string key = ParseString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                switch (key)
                {
                    case "descr" when descr is null:
                        if (Peek() == '[') throw Fail("structured dtypes are not supported");
                        descr = ParseString();
                        break;
                    case "fortran_order" when fortran is null:
                        fortran = ParseBool();
                        break;
                    case "shape" when shape is null:
                        shape = ParseShape();
                        break;
                    case "descr" or "fortran_order" or "shape":
                        throw Fail($"duplicate key '{key}'");
                    default:
                        throw Fail($"unexpected key '{key}'");
                }
                SkipSpace();
                if (Peek() == ',') { _pos++; SkipSpace(); }
                else if (Peek() != '}') throw Fail($"expected ',' or '}}' at offset {_pos}");
            }
            _pos++;
            SkipSpace();
            if (_pos != text.Length) throw Fail($"unexpected text after the dictionary at offset {_pos}");
            if (descr is null) throw Fail("key 'descr' missing");
            if (fortran is null) throw Fail("key 'fortran_order' missing");
            if (shape is null) throw Fail("key 'shape' missing");
            return new NpyHeader(descr, fortran.Value, shape);
        }

        private string ParseString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail($"expected a string at offset {_pos}");
            int end = text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Fail("unterminated string");
            string s = text[(_pos + 1)..end];
            if (s.Contains('\\')) throw Fail("escape sequences are not supported");
            _pos = end + 1;
            return s;
        }

        private bool ParseBool()
        {
            if (Match("True")) return true;
            if (Match("False")) return false;
            throw Fail($"expected True or False at offset {_pos}");
        }

        private int[] ParseShape()
        {
            Expect('(');
            var dims = new List<int>();
            SkipSpace();
            while (Peek() != ')')
            {
                if (dims.Count == MaxDimensions) throw Fail($"more than {MaxDimensions} dimensions");
                dims.Add(ParseDimension());
                SkipSpace();
                if (Peek() == ',') { _pos++; SkipSpace(); }
                else if (Peek() != ')') throw Fail($"expected ',' or ')' in the shape at offset {_pos}");
            }
            _pos++;
            return [.. dims];
        }

        private int ParseDimension()
        {
            if (Peek() == '-') throw Fail("negative dimension in the shape");
            if (!char.IsAsciiDigit(Peek())) throw Fail($"expected a dimension at offset {_pos}");
            // Saturate instead of overflowing: anything that large is refused by the element limit.
            long d = 0;
            while (char.IsAsciiDigit(Peek()))
                d = Math.Min(d * 10 + (text[_pos++] - '0'), int.MaxValue);
            if (Peek() == 'L') _pos++; // Python 2 long literal
            return (int)d;
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Fail($"expected '{c}' at offset {_pos}");
            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        private static string Quote(string s)
        {
            string trimmed = s.TrimEnd();
            if (trimmed.Length > 200) trimmed = trimmed[..200] + "...";
            var sb = new StringBuilder("\"");
            foreach (char c in trimmed)
                sb.Append(char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString());
            return sb.Append('"').ToString();
        }
    }
}
