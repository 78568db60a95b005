using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GanSharp.Data;

namespace GanSharp.Tests.Data;

/// <summary>
/// Builds data files byte by byte, straight from the format descriptions, independently of the
/// readers under test (IDX, CIFAR-10 binary, .npy).
/// </summary>
internal static class DataTestFiles
{
    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>An IDX file: magic (0, 0, type, rank), big-endian uint32 dims, payload.</summary>
    public static byte[] Idx(uint[] dims, ReadOnlySpan<byte> payload, byte type = 0x08)
    {
        var file = new byte[4 + 4 * dims.Length + payload.Length];
        file[2] = type;
        file[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(file.AsSpan(4 + 4 * dims.Length));
        return file;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>CIFAR-10 records: one label byte then 3072 image bytes each.</summary>
    public static byte[] Cifar(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> images)
    {
        var file = new byte[labels.Length * 3073];
        for (int r = 0; r < labels.Length; r++)
        {
            file[r * 3073] = labels[r];
            images.Slice(r * 3072, 3072).CopyTo(file.AsSpan(r * 3073 + 1));
        }
        return file;
    }

    /// <summary>A .npy file with the given header dictionary text (padded to 64 bytes with a newline, as numpy does).</summary>
    public static byte[] Npy(string dictionary, ReadOnlySpan<byte> payload, int major = 1, int minor = 0)
    {
        int prefix = major == 1 ? 10 : 12;
        string header = dictionary + new string(' ', (64 - (prefix + dictionary.Length + 1) % 64) % 64) + "\n";
        byte[] headerBytes = major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header);
        var file = new byte[prefix + headerBytes.Length + payload.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, (byte)minor }.CopyTo(file, 0);
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)headerBytes.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)headerBytes.Length);
        headerBytes.CopyTo(file, prefix);
        payload.CopyTo(file.AsSpan(prefix + headerBytes.Length));
        return file;
    }

    public static string NpyDict(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";

    public static byte[] Float32(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    public static byte[] Float64(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    /// <summary>
    /// Asserts that <paramref name="read"/> fails with exactly <see cref="DataFormatException"/>
    /// (no other type), allocating at most <paramref name="maxAllocatedBytes"/> on the way.
    /// </summary>
    public static DataFormatException AssertRefused(Action read, long maxAllocatedBytes = 1 << 20)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DataFormatException>(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= maxAllocatedBytes, $"allocated {allocated} bytes before refusing: {ex.Message}");
        return ex;
    }
}
