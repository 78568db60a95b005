using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using GanSharp.Figures;
using GanSharp.Tensors;

namespace GanSharp.IO;

/// <summary>
/// Builds a safetensors file from named tensors and string metadata. Values are copied when added,
/// so later changes to the sources do not affect the file.
/// </summary>
/// <remarks>
/// Output is deterministic and laid out as the reference implementation (Hugging Face's
/// <c>safetensors</c>) lays it out: data ordered by dtype alignment (U64, I64, F64, F32, U8) and
/// then by name, compact header JSON with "__metadata__" first, padded with spaces to a multiple of
/// 8 bytes. Header padding plus the dtype order means every tensor's data starts at a multiple of
/// its element size, so readers can map it in place. Metadata keys are written in ordinal order
/// (the reference's own order is unspecified), so with at most one metadata key the bytes match
/// the reference's exactly.
/// </remarks>
public sealed class SafeTensorsWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <param name="Order">Position of the dtype in the layout: wider elements first, as the reference orders them.</param>
    private sealed record Entry(string Name, byte[] NameUtf8, string DType, int Order, int[] Shape, byte[] Data);

    public int Count => _entries.Count;

    /// <summary>Adds a copy of a float32 tensor (any layout; strided views are gathered) as F32.</summary>
    public SafeTensorsWriter Add(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return AddFloat32(name, tensor.ToArray(), tensor.Shape.ToArray());
    }

    /// <summary>Adds <paramref name="data"/> (row-major) as an F32 tensor of <paramref name="shape"/>; an empty shape is a scalar.</summary>
    public SafeTensorsWriter AddFloat32(string name, ReadOnlySpan<float> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafeTensorDTypes.F32, order: 3, data, shape);

    public SafeTensorsWriter AddFloat64(string name, ReadOnlySpan<double> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafeTensorDTypes.F64, order: 2, data, shape);

    /// <summary>Adds an I64 tensor, e.g. a step counter as <c>AddInt64("step", [step])</c> (a scalar).</summary>
    public SafeTensorsWriter AddInt64(string name, ReadOnlySpan<long> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafeTensorDTypes.I64, order: 1, data, shape);

    /// <summary>Adds a U64 tensor, e.g. random generator state.</summary>
    public SafeTensorsWriter AddUInt64(string name, ReadOnlySpan<ulong> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafeTensorDTypes.U64, order: 0, data, shape);

    public SafeTensorsWriter AddUInt8(string name, ReadOnlySpan<byte> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafeTensorDTypes.U8, order: 4, data, shape);

    /// <summary>Sets a "__metadata__" entry, replacing any earlier value for <paramref name="key"/>.</summary>
    public SafeTensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        RequireWellFormed(key, nameof(key));
        RequireWellFormed(value, nameof(value));
        _metadata[key] = value;
        return this;
    }

    private SafeTensorsWriter Add<T>(string name, string dtype, int order, ReadOnlySpan<T> data, ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SafeTensorsHeader.MetadataKey)
            throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(name));
        byte[] nameUtf8 = RequireWellFormed(name, nameof(name));
        if (_entries.ContainsKey(name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));

        long elements = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}': shape {Format(shape)} has a negative dimension.", nameof(shape));
            // Past data.Length the counts already differ; stopping there also keeps the product from overflowing.
            elements = Math.Min(elements * d, (long)data.Length + 1);
        }
        if (elements != data.Length)
            throw new ArgumentException(Invariant($"Tensor '{name}': {data.Length} values do not fill shape {Format(shape)}."), nameof(data));

        _entries.Add(name, new Entry(name, nameUtf8, dtype, order, shape.ToArray(), LittleEndianData.ToBytes(data)));
        return this;
    }

    /// <summary>The complete file as bytes.</summary>
    public byte[] ToArray()
    {
        var (header, entries) = Layout();
        long length = 8L + header.Length + entries.Sum(e => (long)e.Data.Length);
        if (length > Array.MaxLength)
            throw new InvalidOperationException(Invariant($"The file would be {length} bytes, too large for an array; use Save or WriteTo."));
        var bytes = new byte[length];
        using var stream = new MemoryStream(bytes); // fixed-size: writes straight into the result
        Write(stream, header, entries);
        return bytes;
    }

    /// <summary>Writes the complete file to <paramref name="stream"/> (left open).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, entries) = Layout();
        Write(stream, header, entries);
    }

    /// <summary>
    /// Writes the file atomically: to a temporary file in the same folder, flushed to disk, then moved
    /// over <paramref name="path"/>, so readers see the old file or the new one, never a partial one.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (header, entries) = Layout();
        using var file = AtomicFile.Create(path); // disposing without Commit deletes the temporary file
        Write(file.Stream, header, entries);
        file.Commit();
    }

    private static void Write(Stream stream, byte[] header, List<Entry> entries)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var e in entries) stream.Write(e.Data);
    }

    /// <summary>The padded header JSON and the entries in data order.</summary>
    private (byte[] Header, List<Entry> Entries) Layout()
    {
        var entries = _entries.Values.ToList();
        // Names compare as UTF-8 bytes, as the reference (Rust strings) does.
        entries.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.NameUtf8.AsSpan().SequenceCompareTo(b.NameUtf8));

        var json = new StringBuilder("{");
        if (_metadata.Count > 0)
        {
            AppendString(json, SafeTensorsHeader.MetadataKey);
            json.Append(":{");
            bool first = true;
            foreach (var (key, value) in _metadata)
            {
                if (!first) json.Append(',');
                first = false;
                AppendString(json, key);
                json.Append(':');
                AppendString(json, value);
            }
            json.Append('}');
        }
        long offset = 0;
        foreach (var e in entries)
        {
            if (json.Length > 1) json.Append(',');
            AppendString(json, e.Name);
            json.Append(":{\"dtype\":");
            AppendString(json, e.DType);
            json.Append(",\"shape\":[");
            json.AppendJoin(',', e.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            json.Append("],\"data_offsets\":[");
            json.Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',');
            offset += e.Data.Length;
            json.Append(offset.ToString(CultureInfo.InvariantCulture)).Append("]}");
        }
        json.Append('}');

        // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
        int unpadded = Encoding.UTF8.GetByteCount(json.ToString());
        json.Append(' ', (8 - unpadded % 8) % 8);
        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        if (header.Length > SafeTensorsHeader.MaxHeaderLength)
            throw new InvalidOperationException(Invariant($"The header would be {header.Length} bytes; readers refuse headers over {SafeTensorsHeader.MaxHeaderLength}."));
        return (header, entries);
    }

    /// <summary>
    /// Appends a JSON string escaped as serde_json (the reference's serializer) escapes it: quote,
    /// backslash and control characters only; everything else is written as raw UTF-8.
    /// </summary>
    private static void AppendString(StringBuilder json, string s)
    {
        json.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < ' ') json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }

    /// <summary>The UTF-8 bytes of <paramref name="s"/>; refuses lone surrogates, which UTF-8 (and so the header) cannot hold.</summary>
    private static byte[] RequireWellFormed(string s, string paramName)
    {
        try { return StrictUtf8.GetBytes(s); }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"'{s}' is not well-formed UTF-16 (it has a lone surrogate) and cannot be stored as UTF-8.", paramName, e);
        }
    }

    private static string Format(ReadOnlySpan<int> shape) =>
        SafeTensorInfo.FormatShape(shape.ToArray().Select(d => (long)d));

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
