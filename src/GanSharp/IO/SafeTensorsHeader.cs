using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace GanSharp.IO;

/// <summary>
/// Parses and validates the header of a safetensors file by the reference implementation's rules:
/// the length prefix fits the file, the JSON is an object, every entry is well formed, and the
/// entries' byte ranges tile the data section exactly. Nothing is allocated in proportion to a
/// size the file merely claims; everything kept is bounded by the header's own length.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The reference implementation's limit on the JSON header, in bytes.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(int dataStart, SafeTensorInfo[] tensors, Dictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Offset of the data section from the start of the file (8 + header length).</summary>
    public int DataStart { get; }

    /// <summary>The entries in data order (by offsets).</summary>
    public SafeTensorInfo[] Tensors { get; }

    public Dictionary<string, string> Metadata { get; }

    /// <summary>Reads the header of a whole file held in <paramref name="file"/>.</summary>
    /// <param name="source">Named in error messages; null when the bytes have no file name.</param>
    public static SafeTensorsHeader Read(ReadOnlySpan<byte> file, string? source) => new Parser(source).Read(file);

    /// <summary>A header entry as written, before it is checked against the data section.</summary>
    private sealed record RawEntry(string Name, string DType, int Bits, long[] Shape, ulong Begin, ulong End);

    private sealed class Parser(string? source)
    {
        private SafeTensorsFormatException Fail(string message, Exception? inner = null) =>
            new(source is null ? message : $"{source}: {message}", inner);

        public SafeTensorsHeader Read(ReadOnlySpan<byte> file)
        {
            if (file.Length < 8)
                throw Fail(Invariant($"{file.Length} bytes is too short for the 8-byte header length."));
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
            if (n > MaxHeaderLength)
                throw Fail(Invariant($"header length {n} is over the {MaxHeaderLength}-byte limit."));
            long available = file.Length - 8;
            if (n > (ulong)available)
                throw Fail(Invariant($"header length {n} runs past the end of the file: only {available} bytes follow the length field."));

            var json = file.Slice(8, (int)n);
            var (entries, metadata) = ParseJson(json);
            var tensors = Validate(entries, dataLength: available - (long)n);
            return new SafeTensorsHeader(8 + (int)n, tensors, metadata);
        }

        private (List<RawEntry>, Dictionary<string, string>) ParseJson(ReadOnlySpan<byte> json)
        {
            // Checked up front (as the reference does) so no string below can hold a replacement character.
            if (!Utf8.IsValid(json)) throw Fail("header is not valid UTF-8.");
            // JSON allows no byte order mark, and the reference rejects one.
            if (json.StartsWith("\uFEFF"u8)) throw Fail("header starts with a byte order mark; it must be a JSON object.");

            var entries = new List<RawEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                // Strict JSON: no comments, no trailing commas, one value only, nesting depth at most 64.
                var reader = new Utf8JsonReader(json, new JsonReaderOptions());
                if (!reader.Read()) throw Fail("header is empty; it must be a JSON object.");
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw Fail($"header is {Describe(reader.TokenType)}, not a JSON object.");
                while (Next(ref reader) != JsonTokenType.EndObject)
                {
                    string key = reader.GetString()!;
                    if (!keys.Add(key)) throw Fail($"header has the key '{key}' twice.");
                    Next(ref reader);
                    if (key == MetadataKey) ReadMetadata(ref reader, metadata);
                    else entries.Add(ReadEntry(ref reader, key));
                }
                // Only whitespace (the padding) may follow; the reader throws on anything else.
                if (reader.Read()) throw Fail("header has content after its JSON object.");
            }
            catch (JsonException e)
            {
                throw Fail($"header is not valid JSON: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                // Utf8JsonReader reports strings it cannot decode (e.g. an escaped lone surrogate) this way.
                throw Fail($"header is not valid JSON: {e.Message}", e);
            }
            return (entries, metadata);
        }

        private JsonTokenType Next(ref Utf8JsonReader reader)
        {
            // With the whole header as the final block, the reader itself throws on truncated JSON;
            // this only guards the contract.
            if (!reader.Read()) throw Fail("header JSON ends early.");
            return reader.TokenType;
        }

        private void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata)
        {
            // The reference reads __metadata__ as an optional map, so null means "none".
            if (reader.TokenType == JsonTokenType.Null) return;
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Fail($"{MetadataKey} is {Describe(reader.TokenType)}, not an object of strings.");
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                if (Next(ref reader) != JsonTokenType.String)
                    throw Fail($"{MetadataKey} value for '{key}' is {Describe(reader.TokenType)}, not a string.");
                if (!metadata.TryAdd(key, reader.GetString()!))
                    throw Fail($"{MetadataKey} has the key '{key}' twice.");
            }
        }

        private RawEntry ReadEntry(ref Utf8JsonReader reader, string name)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Fail($"entry '{name}' is {Describe(reader.TokenType)}, not an object with dtype, shape and data_offsets.");
            string? dtype = null;
            List<ulong>? shape = null, offsets = null;
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                string field = reader.GetString()!;
                Next(ref reader);
                switch (field)
                {
                    case "dtype":
                        if (dtype is not null) throw Fail($"entry '{name}' has dtype twice.");
                        if (reader.TokenType != JsonTokenType.String)
                            throw Fail($"dtype of '{name}' is {Describe(reader.TokenType)}, not a string.");
                        dtype = reader.GetString()!;
                        break;
                    case "shape":
                        if (shape is not null) throw Fail($"entry '{name}' has shape twice.");
                        shape = ReadIntegers(ref reader, name, field);
                        break;
                    case "data_offsets":
                        if (offsets is not null) throw Fail($"entry '{name}' has data_offsets twice.");
                        offsets = ReadIntegers(ref reader, name, field);
                        if (offsets.Count != 2)
                            throw Fail(Invariant($"data_offsets of '{name}' has {offsets.Count} numbers, not 2 (begin, end)."));
                        break;
                    default:
                        // The reference ignores fields it does not know; so do we, without reading them.
                        reader.Skip();
                        break;
                }
            }
            if (dtype is null) throw Fail($"entry '{name}' has no dtype.");
            if (shape is null) throw Fail($"entry '{name}' has no shape.");
            if (offsets is null) throw Fail($"entry '{name}' has no data_offsets.");
            if (!SafeTensorDTypes.TryGetBits(dtype, out int bits))
                throw Fail($"entry '{name}' has unknown dtype '{dtype}'.");

            var dims = new long[shape.Count];
            for (int i = 0; i < dims.Length; i++)
            {
                // Only a tensor with another zero dimension could be that large; refuse rather than carry ulong shapes.
                if (shape[i] > long.MaxValue)
                    throw Fail(Invariant($"shape of '{name}' has dimension {shape[i]}, larger than this reader supports."));
                dims[i] = (long)shape[i];
            }
            return new RawEntry(name, dtype, bits, dims, offsets[0], offsets[1]);
        }

        /// <summary>A JSON array of non-negative integer literals (no sign, fraction or exponent), as ulongs.</summary>
        private List<ulong> ReadIntegers(ref Utf8JsonReader reader, string name, string field)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw Fail($"{field} of '{name}' is {Describe(reader.TokenType)}, not an array of non-negative integers.");
            var values = new List<ulong>();
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                    throw Fail($"{field} of '{name}' contains {Describe(reader.TokenType)}; it must hold non-negative integers.");
                var literal = reader.ValueSpan; // numbers are never escaped, and the header is one span
                if (literal[0] == (byte)'-')
                    throw Fail($"{field} of '{name}' contains the negative number {Text(literal)}.");
                foreach (byte b in literal)
                    if (b is < (byte)'0' or > (byte)'9')
                        throw Fail($"{field} of '{name}' contains {Text(literal)}, which is not an integer.");
                if (!reader.TryGetUInt64(out ulong value))
                    throw Fail($"{field} of '{name}' contains {Text(literal)}, which does not fit in 64 bits.");
                values.Add(value);
            }
            return values;
        }

        /// <summary>
        /// Checks that each entry's byte count matches dtype and shape, and that the entries, sorted by
        /// offsets, tile the data section from 0 to its end with no gap or overlap.
        /// </summary>
        private SafeTensorInfo[] Validate(List<RawEntry> entries, long dataLength)
        {
            // Ties (several zero-size tensors at one offset) are broken by name so the order is deterministic.
            entries.Sort((a, b) =>
            {
                int c = a.Begin.CompareTo(b.Begin);
                if (c == 0) c = a.End.CompareTo(b.End);
                return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            });

            var tensors = new SafeTensorInfo[entries.Count];
            ulong expected = 0;
            string? previous = null;
            for (int i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                string offsets = Invariant($"[{e.Begin}, {e.End}]");
                if (e.End < e.Begin)
                    throw Fail($"data_offsets {offsets} of '{e.Name}' end before they begin.");
                if (e.Begin != expected)
                {
                    if (previous is null)
                        throw Fail($"data_offsets {offsets} of '{e.Name}': the first tensor's data must begin at 0.");
                    throw Fail(e.Begin > expected
                        ? Invariant($"gap in the data section: '{previous}' ends at {expected} but the next tensor, '{e.Name}', begins at {e.Begin}.")
                        : Invariant($"data_offsets {offsets} of '{e.Name}' overlap '{previous}', which ends at {expected}."));
                }

                string described = $"'{e.Name}' ({e.DType} {SafeTensorInfo.FormatShape(e.Shape)})";
                if (!TryCountBits(e.Shape, e.Bits, out ulong elements, out ulong bits))
                    throw Fail($"size of {described} overflows 64 bits.");
                if (bits % 8 != 0)
                    throw Fail(Invariant($"{described} has {elements} elements, which do not fill whole bytes."));
                if (e.End - e.Begin != bits / 8)
                    throw Fail(Invariant($"{described} needs {bits / 8} bytes but its data_offsets {offsets} span {e.End - e.Begin}."));

                // Within the data section (checked after the loop) every count fits a long.
                if (e.End > (ulong)dataLength)
                    throw Fail(Invariant($"data_offsets {offsets} of '{e.Name}' run past the end of the data section ({dataLength} bytes)."));
                tensors[i] = new SafeTensorInfo(e.Name, e.DType, e.Shape, (long)elements, (long)e.Begin, (long)e.End);
                expected = e.End;
                previous = e.Name;
            }
            if (expected != (ulong)dataLength)
                throw Fail(Invariant($"the last {dataLength - (long)expected} of the {dataLength} bytes in the data section belong to no tensor."));
            return tensors;
        }

        /// <summary>Element and bit counts of a shape; false on overflow. A zero dimension makes both 0, whatever the others.</summary>
        private static bool TryCountBits(long[] shape, int bitsPerElement, out ulong elements, out ulong bits)
        {
            elements = 1;
            bits = 0;
            if (Array.IndexOf(shape, 0L) >= 0) { elements = 0; return true; }
            foreach (long d in shape)
                if (Math.BigMul(elements, (ulong)d, out elements) != 0) return false;
            return Math.BigMul(elements, (ulong)bitsPerElement, out bits) == 0;
        }

        private static string Describe(JsonTokenType token) => token switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            _ => token.ToString(),
        };

        private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8);

        private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
