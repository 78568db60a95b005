using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using GanSharp.Data;
using GanSharp.Tests.Data;
using Xunit.Abstractions;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Fuzz;

public sealed class NpyReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private sealed record NpyCase(FuzzInput File, bool AsDataset, bool ScaleBytes);

    private static readonly HeaderField[] Fields =
    [
        new("major version", 6, 1, BigEndian: false),
        new("minor version", 7, 1, BigEndian: false),
        new("header length (v1)", 8, 2, BigEndian: false),
        new("header length (v2, v3)", 8, 4, BigEndian: false),
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MalformedNpyFiles_ReadOrThrowDataFormatException()
    {
        string path = _folder.Path("fuzz.npy");
        var outcomes = await FuzzRun.ReadsOrRefusesAsync<NpyCase, DataFormatException>(output, Inputs(),
            c => _ = c.AsDataset ? NpyReader.LoadDataset(path, "fuzz", c.ScaleBytes) : (object)NpyReader.Read(path, c.ScaleBytes),
            // A float per element (at most 4 per data byte), and the header text as a string.
            c => FuzzRun.BaseAllocation + 6L * c.File.Bytes.Length,
            prepare: c => FuzzRun.Overwrite(path, c.File.Bytes));

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }

    private static Gen<NpyCase> Inputs()
    {
        var written = new MemoryStream();
        NpyWriter.Write(written, [1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        byte[][] valid =
        [
            written.ToArray(),
            Npy(NpyDict("|u1", "(5,)"), RandomBytes(5, seed: 4)),
            Npy(NpyDict("<f8", "(2, 2)"), Float64(1, 2, 3, 4), major: 2),
            Npy(NpyDict("<f4", "()"), Float32(7), major: 3),
        ];
        Gen<FuzzInput> damaged = Gen.OneOf(valid.Select(file => Mutations.Mutate(".npy", file, Gen.Frequency(
            (3, Mutations.ByteEdits(file.Length, headerLength: 64)),
            (1, Mutations.FieldEdits(Fields))))));
        Gen<FuzzInput> files = Gen.Frequency((1, damaged), (1, GeneratedHeaders()));
        return from file in files
               from asDataset in Gen.Elements(false, true)
               from scale in Gen.Elements(false, true)
               select new NpyCase(file, asDataset, scale);
    }

    /// <summary>
    /// Header dictionaries written from scratch: supported and unsupported dtypes, shapes with zero,
    /// huge and overflowing dimensions, broken literal syntax; data as long as the shape needs, or not.
    /// </summary>
    private static Gen<FuzzInput> GeneratedHeaders()
    {
        Gen<string> dimension = Gen.Frequency(
            (4, Gen.Choose(0, 4).Select(d => d.ToString(CultureInfo.InvariantCulture))),
            (2, Mutations.ExtremeValue(8).Select(d => d.ToString(CultureInfo.InvariantCulture))),
            (1, Gen.Elements("-1", "2L", "1.5", "", "99999999999999999999999")));
        Gen<string> shape = Gen.Frequency(
            (6, Gen.Choose(0, 4).SelectMany(rank => Gen.ArrayOf(dimension, rank))
                .Select(d => d.Length == 1 ? $"({d[0]},)" : $"({string.Join(", ", d)})")),
            (1, Gen.Elements("[2, 3]", "(2, 3", "2", "(" + string.Concat(Enumerable.Repeat("1, ", 40)) + ")")));
        Gen<string> descr = Gen.Elements("<f4", "<f4", "|u1", "<f8", ">f4", "<i4", "|b1", "", "<f4'", "[('a', '<f4')]");
        Gen<string> fortran = Gen.Elements("False", "False", "True", "0", "'False'");
        return from d in descr
               from f in fortran
               from s in shape
               from layout in Gen.Elements(0, 1, 2, 3)
               let dictionary = layout switch
               {
                   0 => $"{{'descr': '{d}', 'fortran_order': {f}, 'shape': {s}, }}",
                   1 => $"{{\"shape\": {s}, \"descr\": \"{d}\", \"fortran_order\": {f}}}",
                   2 => $"{{'descr': '{d}', 'fortran_order': {f}, 'shape': {s}, 'shape': {s}}}",
                   _ => $"{{'descr': '{d}', 'fortran_order': {f}, 'shape': {s}, 'extra': 1}}",
               }
               from dataLength in Gen.Frequency((3, Gen.Constant(PlausibleDataLength(d, s))), (1, Gen.Choose(0, 100)))
               from major in Gen.Elements(1, 1, 2, 3)
               select new FuzzInput($".npy v{major} header {dictionary} with {dataLength} data bytes",
                   Npy(dictionary, RandomBytes(dataLength, seed: dataLength), major));
    }

    /// <summary>Bytes a shape of small dimensions needs (so the header is the only problem); 0 for anything large or unparsable.</summary>
    private static int PlausibleDataLength(string descr, string shape)
    {
        int itemSize = descr.EndsWith('8') ? 8 : descr.EndsWith('4') ? 4 : 1;
        long elements = 1;
        foreach (string part in shape.Trim('(', ')', '[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, CultureInfo.InvariantCulture, out int d) || d is < 0 or > 100) return 0;
            elements *= d;
        }
        return (int)Math.Min(elements * itemSize, 4096);
    }
}
