using System.Globalization;
using GanSharp.Tensors;

namespace GanSharp.IO;

/// <summary>
/// A safetensors file read into memory and fully validated (see <see cref="Load"/>), giving typed
/// copies of its tensors. Reading never executes anything from the file: the header is plain JSON
/// and the data is raw little-endian numbers.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly byte[] _bytes;
    private readonly int _dataStart;
    private readonly SafeTensorInfo[] _ordered;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(byte[] bytes, string? source)
    {
        var header = SafeTensorsHeader.Read(bytes, source);
        _bytes = bytes;
        _dataStart = header.DataStart;
        _ordered = header.Tensors;
        _byName = new Dictionary<string, SafeTensorInfo>(_ordered.Length, StringComparer.Ordinal);
        foreach (var info in _ordered) _byName.Add(info.Name, info); // names were checked unique
        Metadata = header.Metadata.AsReadOnly();
        Source = source;
    }

    /// <summary>
    /// Reads and validates a safetensors file. Malformed files throw <see cref="SafeTensorsFormatException"/>
    /// naming the file; the whole file is held in memory, so it must be under 2 GB.
    /// </summary>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new SafeTensorsFile(File.ReadAllBytes(path), path);
    }

    /// <summary>Validates a safetensors file held in memory (the bytes are copied).</summary>
    /// <param name="name">Names the data in error messages, e.g. the file or URL it came from.</param>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string? name = null) => new(bytes.ToArray(), name);

    /// <summary>The file path or name given when loading, if any.</summary>
    public string? Source { get; }

    /// <summary>The "__metadata__" strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor names in the order their data appears in the file.</summary>
    public IEnumerable<string> Names => _ordered.Select(t => t.Name);

    /// <summary>Header entries in the order their data appears in the file.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors => _ordered.AsReadOnly();

    public int Count => _ordered.Length;

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>; <see cref="KeyNotFoundException"/> if the file has none.</summary>
    public SafeTensorInfo Info(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var info)) return info;
        throw new KeyNotFoundException(Source is null
            ? $"The safetensors data has no tensor named '{name}'."
            : $"{Source} has no tensor named '{name}'.");
    }

    /// <summary>A copy of an F32 tensor's elements in row-major order.</summary>
    public float[] GetFloat32(string name) => Read<float>(name, SafeTensorDTypes.F32);

    /// <summary>An F32 tensor as a new GanSharp tensor (rank at most <see cref="Shape.MaxRank"/>), never pooled.</summary>
    public Tensor GetTensor(string name)
    {
        var info = Info(name);
        RequireDType(info, SafeTensorDTypes.F32);
        if (info.Rank > Shape.MaxRank)
            throw new NotSupportedException(Invariant($"{Describe(info)} has rank {info.Rank}; GanSharp tensors have at most {Shape.MaxRank} dimensions. Use GetFloat32."));
        var dims = new int[info.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            // Only reachable for zero-size tensors; any other dimension is bounded by the data.
            if (info.Shape[i] > int.MaxValue)
                throw new NotSupportedException(Invariant($"{Describe(info)} has dimension {info.Shape[i]}, over {int.MaxValue}."));
            dims[i] = (int)info.Shape[i];
        }
        // Wrap, not From: loaded weights must outlive any TensorScope that happens to be active.
        return Tensor.Wrap(Read<float>(info), dims);
    }

    public double[] GetFloat64(string name) => Read<double>(name, SafeTensorDTypes.F64);

    public long[] GetInt64(string name) => Read<long>(name, SafeTensorDTypes.I64);

    public ulong[] GetUInt64(string name) => Read<ulong>(name, SafeTensorDTypes.U64);

    public byte[] GetUInt8(string name) => Read<byte>(name, SafeTensorDTypes.U8);

    private T[] Read<T>(string name, string dtype) where T : unmanaged
    {
        var info = Info(name);
        RequireDType(info, dtype);
        return Read<T>(info);
    }

    /// <summary>
    /// Copies a tensor's bytes into a new array. The header was validated, so the byte range lies in
    /// the file and its length is exactly ElementCount * sizeof(T); the array is no larger than that.
    /// </summary>
    private T[] Read<T>(SafeTensorInfo info) where T : unmanaged
    {
        var result = new T[info.ElementCount];
        LittleEndianData.CopyTo(_bytes.AsSpan(_dataStart + (int)info.Begin, (int)info.ByteLength), result.AsSpan());
        return result;
    }

    private void RequireDType(SafeTensorInfo info, string dtype)
    {
        if (info.DType != dtype)
            throw new InvalidCastException($"{Describe(info)} has dtype {info.DType}, not {dtype}.");
    }

    private string Describe(SafeTensorInfo info) =>
        Source is null ? $"Tensor '{info.Name}'" : $"Tensor '{info.Name}' in {Source}";

    public override string ToString() =>
        Invariant($"{Source ?? "safetensors"}: {Count} tensors, {Metadata.Count} metadata entries");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
