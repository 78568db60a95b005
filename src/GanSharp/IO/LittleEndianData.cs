using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GanSharp.IO;

/// <summary>Converts arrays of numbers to and from little-endian bytes, as stored in safetensors data.</summary>
internal static class LittleEndianData
{
    public static byte[] ToBytes<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian) Swap(MemoryMarshal.Cast<byte, T>(bytes.AsSpan()));
        return bytes;
    }

    /// <summary>Fills <paramref name="values"/> from exactly values.Length * sizeof(T) bytes.</summary>
    public static void CopyTo<T>(ReadOnlySpan<byte> bytes, Span<T> values) where T : unmanaged
    {
        bytes.CopyTo(MemoryMarshal.AsBytes(values));
        if (!BitConverter.IsLittleEndian) Swap(values);
    }

    // Only big-endian hosts get here; floats are swapped through their integer bit patterns.
    private static void Swap<T>(Span<T> values) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() == 8)
        {
            var u = MemoryMarshal.Cast<T, ulong>(values);
            BinaryPrimitives.ReverseEndianness(u, u);
        }
        else if (Unsafe.SizeOf<T>() == 4)
        {
            var u = MemoryMarshal.Cast<T, uint>(values);
            BinaryPrimitives.ReverseEndianness(u, u);
        }
    }
}
