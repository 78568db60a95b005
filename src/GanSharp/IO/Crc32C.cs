using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace GanSharp.IO;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord/TensorBoard event
/// files. Uses the CPU's CRC32 instruction (SSE4.2 or ARMv8) when present and a byte-wise table otherwise;
/// both give identical results.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Initial register value; pass the result of <see cref="Append"/> to <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    public static uint Finish(uint state) => state ^ 0xFFFFFFFFu;

    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported) return AppendSse42(state, data);
        if (ArmCrc32.Arm64.IsSupported) return AppendArm64(state, data);
        return AppendTable(state, data);
    }

    /// <summary>
    /// The checksum as TFRecord stores it: rotated and offset, because a CRC over data that itself
    /// contains CRCs is weak (the TensorFlow record format's own rationale).
    /// </summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    internal static bool HasHardwareSupport => Sse42.X64.IsSupported || ArmCrc32.Arm64.IsSupported;

    internal static uint AppendTable(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        return state;
    }

    private static uint AppendSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong wide = state;
        while (data.Length >= 8)
        {
            wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        state = (uint)wide;
        foreach (byte b in data) state = Sse42.Crc32(state, b);
        return state;
    }

    private static uint AppendArm64(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = ArmCrc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) state = ArmCrc32.ComputeCrc32C(state, b);
        return state;
    }
}
