using GanSharp.IO;
using System.Buffers.Binary;
using System.Text;

namespace GanSharp.Tests.IO;

/// <summary>Builds safetensors bytes by hand, independently of <c>SafeTensorsWriter</c>.</summary>
internal static class SafeTensorsTestFiles
{
    /// <summary>Length prefix, then <paramref name="headerJson"/> as UTF-8 exactly as given (no padding added), then <paramref name="data"/>.</summary>
    public static byte[] Build(string headerJson, ReadOnlySpan<byte> data) => Build(Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Build(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file.AsSpan(8));
        data.CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }

    public static byte[] F32(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] I64(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gansharp-st-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>An accepted file must also be readable: every tensor of a type with a getter is copied out.</summary>
    public static void ReadEverything(SafeTensorsFile file)
    {
        foreach (var t in file.Tensors)
        {
            long n = t.DType switch
            {
                "F32" => file.GetFloat32(t.Name).Length,
                "F64" => file.GetFloat64(t.Name).Length,
                "I64" => file.GetInt64(t.Name).Length,
                "U64" => file.GetUInt64(t.Name).Length,
                "U8" => file.GetUInt8(t.Name).Length,
                _ => t.ElementCount,
            };
            Assert.Equal(t.ElementCount, n);
            Assert.InRange(t.End, t.Begin, file.Tensors[^1].End);
            if (t.DType == "F32" && t.Rank <= 6 && t.Shape.All(d => d <= int.MaxValue))
                Assert.Equal(t.ElementCount, file.GetTensor(t.Name).Length);
        }
        _ = file.Metadata.Count;
    }
}
