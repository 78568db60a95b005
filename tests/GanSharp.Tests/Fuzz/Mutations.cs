using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace GanSharp.Tests.Fuzz;

/// <summary>A generated file: the bytes handed to a reader, and how they were made (shown when a case fails).</summary>
internal sealed record FuzzInput(string Description, byte[] Bytes)
{
    public override string ToString() =>
        $"{Description} [{Bytes.Length} bytes: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 64)))}{(Bytes.Length > 64 ? "..." : "")}]";
}

/// <summary>A fixed-width integer at a fixed place in a header; a negative offset counts from the end of the file (trailers).</summary>
internal sealed record HeaderField(string Name, int Offset, int Width, bool BigEndian);

/// <summary>
/// One change to a file. Positions are reduced modulo the current length when applied, so edits
/// still land inside the file after earlier edits have grown or shrunk it.
/// </summary>
internal abstract record Edit
{
    public abstract void Apply(List<byte> bytes);
}

internal sealed record Truncate(int At) : Edit
{
    public override void Apply(List<byte> bytes)
    {
        int keep = At % (bytes.Count + 1);
        bytes.RemoveRange(keep, bytes.Count - keep);
    }
}

internal sealed record FlipBit(int At, int Bit) : Edit
{
    public override void Apply(List<byte> bytes)
    {
        if (bytes.Count > 0) bytes[At % bytes.Count] ^= (byte)(1 << Bit);
    }
}

internal sealed record Overwrite(int At, byte Value) : Edit
{
    public override void Apply(List<byte> bytes)
    {
        if (bytes.Count > 0) bytes[At % bytes.Count] = Value;
    }
}

internal sealed record InsertBytes(int At, byte[] Inserted) : Edit
{
    public override void Apply(List<byte> bytes) => bytes.InsertRange(At % (bytes.Count + 1), Inserted);

    public override string ToString() => $"InsertBytes {{ At = {At}, Inserted = {Convert.ToHexString(Inserted)} }}";
}

internal sealed record DeleteBytes(int At, int Count) : Edit
{
    public override void Apply(List<byte> bytes)
    {
        int at = At % (bytes.Count + 1);
        bytes.RemoveRange(at, Math.Min(Count, bytes.Count - at));
    }
}

internal sealed record SetField(HeaderField Field, ulong Value) : Edit
{
    public override void Apply(List<byte> bytes)
    {
        int at = Field.Offset >= 0 ? Field.Offset : bytes.Count + Field.Offset;
        if (at < 0 || at + Field.Width > bytes.Count) return; // the field was cut off by an earlier edit
        Span<byte> value = stackalloc byte[8];
        if (Field.BigEndian) BinaryPrimitives.WriteUInt64BigEndian(value, Value);
        else BinaryPrimitives.WriteUInt64LittleEndian(value, Value);
        ReadOnlySpan<byte> written = Field.BigEndian ? value[(8 - Field.Width)..] : value[..Field.Width];
        for (int i = 0; i < Field.Width; i++) bytes[at + i] = written[i];
    }
}

/// <summary>FsCheck generators of malformed variants of a valid file.</summary>
internal static class Mutations
{
    public static Gen<byte> AnyByte { get; } = Gen.Choose(0, 255).Select(b => (byte)b);

    /// <summary>Values that break size arithmetic: 0, 1, all ones, int.MaxValue, powers of two past every limit, and random.</summary>
    public static Gen<ulong> ExtremeValue(int width)
    {
        ulong mask = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        Gen<ulong> special = Gen.Elements<ulong>(0UL, 1UL, 2UL, 3UL, 0x7FUL, 0x80UL, 0xFFUL, 0x100UL, 0x7FFFUL, 0xFFFFUL, 0x1_0000UL,
            1UL << 20, 1UL << 24, 1UL << 28, (1UL << 28) + 1, int.MaxValue, 1UL << 31, uint.MaxValue, 1UL << 32,
            long.MaxValue, 1UL << 63, ulong.MaxValue);
        Gen<ulong> random = from hi in Gen.Choose(int.MinValue, int.MaxValue)
                            from lo in Gen.Choose(int.MinValue, int.MaxValue)
                            select ((ulong)(uint)hi << 32) | (uint)lo;
        return Gen.Frequency((4, special), (1, random)).Select(v => v & mask);
    }

    /// <summary>
    /// Byte-level damage anywhere: truncation, bit flips, overwrites, insertions and deletions, half
    /// of them within the first <paramref name="headerLength"/> bytes, where the parsing decisions are.
    /// </summary>
    public static Gen<Edit> ByteEdits(int fileLength, int headerLength)
    {
        Gen<int> at = Gen.Frequency((1, Gen.Choose(0, Math.Max(headerLength - 1, 0))), (1, Gen.Choose(0, fileLength)));
        return Gen.Frequency(
            (2, at.Select(a => (Edit)new Truncate(a))),
            (4, from a in at from bit in Gen.Choose(0, 7) select (Edit)new FlipBit(a, bit)),
            (4, from a in at from v in AnyByte select (Edit)new Overwrite(a, v)),
            (2, from a in at from n in Gen.Choose(1, 8) from inserted in Gen.ArrayOf(AnyByte, n) select (Edit)new InsertBytes(a, inserted)),
            (2, from a in at from n in Gen.Frequency((3, Gen.Choose(1, 4)), (1, Gen.Choose(5, 64))) select (Edit)new DeleteBytes(a, n)));
    }

    /// <summary>One of <paramref name="fields"/> set to an extreme value.</summary>
    public static Gen<Edit> FieldEdits(params HeaderField[] fields) =>
        from field in Gen.Elements(fields)
        from value in ExtremeValue(field.Width)
        select (Edit)new SetField(field, value);

    /// <summary><paramref name="valid"/> with one to <paramref name="maxEdits"/> edits applied in order.</summary>
    public static Gen<FuzzInput> Mutate(string name, byte[] valid, Gen<Edit> edit, int maxEdits = 3) =>
        from count in Gen.Choose(1, maxEdits)
        from edits in Gen.ArrayOf(edit, count)
        select new FuzzInput($"{name} with {string.Join(", ", edits.AsEnumerable())}", Apply(valid, edits));

    public static byte[] Apply(byte[] valid, IEnumerable<Edit> edits)
    {
        var bytes = new List<byte>(valid);
        foreach (var edit in edits) edit.Apply(bytes);
        return [.. bytes];
    }

    /// <summary>a * b without overflow: long.MaxValue stands for "more than any file".</summary>
    public static long SaturatingMultiply(long a, long b) =>
        a == 0 || b == 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;
}
