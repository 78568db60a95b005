using System.Buffers.Binary;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using GanSharp.IO;
using Xunit.Abstractions;
using static GanSharp.Tests.IO.SafeTensorsTestFiles;

namespace GanSharp.Tests.Fuzz;

public class SafeTensorsFuzzTests(ITestOutputHelper output)
{
    private static readonly HeaderField LengthField = new("header length", 0, 8, BigEndian: false);

    [Fact]
    public async Task MalformedFiles_LoadOrThrowSafeTensorsFormatException()
    {
        var outcomes = await FuzzRun.ReadsOrRefusesAsync<FuzzInput, SafeTensorsFormatException>(output, Inputs(),
            input => ReadEverything(SafeTensorsFile.Parse(input.Bytes)),
            // A copy of the file, the header's strings and lists, and copies of the tensors: all bounded by the file.
            input => FuzzRun.BaseAllocation + 16L * input.Bytes.Length);

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }

    private static Gen<FuzzInput> Inputs()
    {
        byte[] valid = new SafeTensorsWriter()
            .AddFloat32("w", [1f, 2f, 3f, 4f], 2, 2)
            .AddFloat32("z", [], 0, 3)
            .AddInt64("step", [42L])
            .AddUInt8("m", [1, 2, 3], 3)
            .SetMetadata("format", "pt")
            .ToArray();
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        return Gen.Frequency(
            (1, Mutations.Mutate("safetensors", valid, Gen.Frequency(
                (4, Mutations.ByteEdits(valid.Length, headerEnd)),
                (1, Mutations.FieldEdits(LengthField))))),
            (3, GeneratedHeaders()));
    }

    /// <summary>
    /// Headers written from scratch: entries with valid or broken dtypes, shapes and offsets (tiled,
    /// overlapping, out of range, reversed), repeated names, odd metadata, non-object JSON, and a
    /// length prefix that is right or extreme.
    /// </summary>
    private static Gen<FuzzInput> GeneratedHeaders() =>
        from json in Gen.Frequency((6, ObjectHeader()), (1, Gen.Elements("[]", "null", "42", "\"w\"", "", "{", "{}}", "{\"a\":1,}", "\uFEFF{}")))
        from dataLength in Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, 64)))
        from lengthPrefix in Gen.Frequency((6, Gen.Constant<ulong?>(null)), (1, Mutations.ExtremeValue(8).Select(v => (ulong?)v)))
        select BuildFile(json, dataLength, lengthPrefix);

    private static FuzzInput BuildFile(string json, int dataLength, ulong? lengthPrefix)
    {
        // -1: as many data bytes as the largest end offset in the header, so the offsets are the only problem.
        int data = dataLength >= 0 ? dataLength : LargestEnd(json);
        byte[] file = Build(json, new byte[data]);
        if (lengthPrefix is ulong n) BinaryPrimitives.WriteUInt64LittleEndian(file, n);
        return new FuzzInput($"header {json}, {data} data bytes{(lengthPrefix is null ? "" : $", length prefix {lengthPrefix}")}", file);
    }

    private static Gen<string> ObjectHeader() =>
        from entries in Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Entry(), n))
        from metadata in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Elements(
            "\"__metadata__\":{\"format\":\"pt\"}", "\"__metadata__\":null", "\"__metadata__\":{\"a\":1}",
            "\"__metadata__\":[]", "\"__metadata__\":{\"a\":\"x\",\"a\":\"y\"}")))
        select "{" + string.Join(",", metadata.Length > 0 ? [metadata, .. entries] : entries) + "}";

    /// <summary>One "name": {...} entry; names come from a small pool so duplicates are common.</summary>
    private static Gen<string> Entry() =>
        from name in Gen.Elements("a", "b", "c", "__metadata__", "\\u0061")
        from dtype in Gen.Frequency((5, Gen.Elements("\"F32\"", "\"U8\"", "\"I64\"", "\"F4\"", "\"BOOL\"")), (1, Gen.Elements("\"F31\"", "\"f32\"", "\"\"", "32", "null")))
        from shape in Gen.Frequency((4, Gen.Choose(0, 3).SelectMany(rank => Gen.ArrayOf(Dimension(), rank)).Select(d => "[" + string.Join(",", d) + "]")),
            (1, Gen.Elements("4", "[-1]", "[2.0]", "[\"2\"]", "[18446744073709551616]", "null")))
        from offsets in Offsets()
        from field in Gen.Frequency((6, Gen.Constant("")), (1, Gen.Elements(",\"x\":[[[]]]", ",\"dtype\":\"F32\"", ",\"shape\":[]", ",\"data_offsets\":[0,0]")))
        select $"\"{name}\":{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}{field}}}";

    private static Gen<string> Dimension() => Gen.Frequency(
        (4, Gen.Choose(0, 4).Select(d => d.ToString(CultureInfo.InvariantCulture))),
        (1, Mutations.ExtremeValue(8).Select(d => d.ToString(CultureInfo.InvariantCulture))));

    /// <summary>Offsets that tile plausibly, overlap, reverse, or run far past any data section.</summary>
    private static Gen<string> Offsets()
    {
        Gen<ulong> small = Gen.Choose(0, 40).Select(v => (ulong)v);
        Gen<ulong> offset = Gen.Frequency((4, small), (1, Mutations.ExtremeValue(8)));
        return Gen.Frequency(
            (8, from begin in offset from end in offset select Invariant($"[{begin},{end}]")),
            (1, Gen.Elements("[]", "[0]", "[0,4,8]", "[0,-4]", "[0,4.0]", "\"0,4\"", "null")));
    }

    /// <summary>The largest integer below 2^16 in the header (so plausible end offsets get their data bytes).</summary>
    private static int LargestEnd(string json)
    {
        int largest = 0;
        for (int i = 0; i < json.Length; i++)
        {
            if (!char.IsAsciiDigit(json[i]) || (i > 0 && char.IsAsciiDigit(json[i - 1]))) continue;
            int end = i;
            while (end < json.Length && char.IsAsciiDigit(json[end])) end++;
            if (end - i <= 4) largest = Math.Max(largest, int.Parse(json.AsSpan(i, end - i), CultureInfo.InvariantCulture));
        }
        return largest;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
