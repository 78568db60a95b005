using System.Buffers.Binary;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using GanSharp.Data;
using GanSharp.Tests.Data;
using Xunit.Abstractions;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Fuzz;

public sealed class IdxReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private enum Api { Read, ReadImages, ReadLabels, LoadMnistLike }

    private sealed record IdxCase(FuzzInput File, Api Api);

    private static readonly HeaderField[] Fields =
    [
        new("magic high bytes", 0, 2, BigEndian: true),
        new("element type", 2, 1, BigEndian: true),
        new("rank", 3, 1, BigEndian: true),
        new("dimension 0", 4, 4, BigEndian: true),
        new("dimension 1", 8, 4, BigEndian: true),
        new("dimension 2", 12, 4, BigEndian: true),
    ];

    private static readonly HeaderField[] GzipFields =
    [
        new("gzip flags", 3, 1, BigEndian: false),
        new("gzip CRC", -8, 4, BigEndian: false),
        new("gzip ISIZE", -4, 4, BigEndian: false),
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MalformedIdxFiles_ReadOrThrowDataFormatException()
    {
        string path = _folder.Path("fuzz.idx");
        var outcomes = await FuzzRun.ReadsOrRefusesAsync<IdxCase, DataFormatException>(output, Inputs(),
            c => _ = c.Api switch
            {
                Api.Read => IdxReader.Read(path),
                Api.ReadImages => IdxReader.ReadImages(path),
                Api.ReadLabels => IdxReader.ReadLabels(path),
                _ => (object)IdxReader.LoadMnistLike(path, labelsPath: null, "fuzz"),
            },
            // The payload bytes, and for LoadMnistLike the floats made of them: 5 bytes per payload byte.
            c => FuzzRun.BaseAllocation + 5 * Math.Min(PromisedPayload(c.File.Bytes), JustifiedPayload(c.File.Bytes)),
            prepare: c => FuzzRun.Overwrite(path, c.File.Bytes));

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }

    private static Gen<IdxCase> Inputs()
    {
        byte[] images = Idx([3, 5, 4], RandomBytes(60, seed: 1));
        byte[] labels = Idx([7], RandomBytes(7, seed: 2));
        Gen<FuzzInput> damaged = Gen.OneOf(new[] { images, labels }.Select(file => Mutations.Mutate("IDX", file, Gen.Frequency(
            (3, Mutations.ByteEdits(file.Length, headerLength: 16)),
            (2, Mutations.FieldEdits(Fields))))));
        Gen<FuzzInput> damagedGzip = Gen.OneOf(new[] { Gzip(images), Gzip(labels) }.Select(file => Mutations.Mutate("gzip IDX", file, Gen.Frequency(
            (4, Mutations.ByteEdits(file.Length, headerLength: 10)),
            (1, Mutations.FieldEdits(GzipFields))))));
        Gen<FuzzInput> twoMembers =
            from split in Gen.Choose(0, images.Length)
            select new FuzzInput($"IDX gzipped as two members split at {split}", [.. Gzip(images.AsSpan(0, split)), .. Gzip(images.AsSpan(split))]);
        Gen<FuzzInput> files = Gen.Frequency(
            (4, damaged),
            (2, damaged.Select(d => d with { Description = "gzip of " + d.Description, Bytes = Gzip(d.Bytes) })), // valid gzip, bad content
            (3, damagedGzip),
            (1, twoMembers));
        return from file in files
               from api in Gen.Elements(Enum.GetValues<Api>())
               select new IdxCase(file, api);
    }

    /// <summary>The payload a raw file can hold (itself), or a gzip file can decompress to (deflate's 1032:1 limit).</summary>
    private static long JustifiedPayload(byte[] file) => IsGzip(file) ? 1032L * file.Length : file.Length;

    /// <summary>The product of the header's dimensions (of the decompressed header for gzip); 0 without a readable header.</summary>
    private static long PromisedPayload(byte[] file)
    {
        // Read as the reader does, magic then dimensions, so gzip damage after the header still counts as "readable header".
        Span<byte> header = stackalloc byte[4 + 4 * 255];
        int got = 0, rank = 0;
        try
        {
            using var stream = IsGzip(file) ? new GZipStream(new MemoryStream(file), CompressionMode.Decompress) : (Stream)new MemoryStream(file);
            got = stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false);
            if (got < 4) return 0;
            rank = header[3];
            got += stream.ReadAtLeast(header.Slice(4, 4 * rank), 4 * rank, throwOnEndOfStream: false);
        }
        catch (InvalidDataException)
        {
        }
        if (got < 4 + 4 * rank) return 0;
        long product = 1;
        for (int i = 0; i < rank; i++)
            product = Mutations.SaturatingMultiply(product, BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * i)..]));
        return product;
    }

    private static bool IsGzip(byte[] file) => file.Length >= 2 && file[0] == 0x1F && file[1] == 0x8B;
}
