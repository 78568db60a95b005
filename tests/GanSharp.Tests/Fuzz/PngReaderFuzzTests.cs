using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using GanSharp.Figures;
using Xunit.Abstractions;
using static GanSharp.Tests.Figures.PngTestFiles;

namespace GanSharp.Tests.Fuzz;

public class PngReaderFuzzTests(ITestOutputHelper output)
{
    private const int Width = 5, Height = 4;

    /// <summary>Signature (8) + IHDR chunk (25): every decision about the image is made here.</summary>
    private const int HeaderLength = 33;

    private static readonly HeaderField[] IhdrFields =
    [
        new("IHDR length", 8, 4, BigEndian: true),
        new("width", 16, 4, BigEndian: true),
        new("height", 20, 4, BigEndian: true),
        new("bit depth", 24, 1, BigEndian: true),
        new("colour type", 25, 1, BigEndian: true),
        new("compression", 26, 1, BigEndian: true),
        new("filter method", 27, 1, BigEndian: true),
        new("interlace", 28, 1, BigEndian: true),
        new("second chunk length", 33, 4, BigEndian: true),
    ];

    [Fact]
    public async Task MalformedPngs_DecodeOrThrowPngFormatException()
    {
        var outcomes = await FuzzRun.ReadsOrRefusesAsync<FuzzInput, PngFormatException>(output, Inputs(),
            input => PngReader.Decode(input.Bytes),
            input => AllocationLimit(input.Bytes));

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }

    /// <summary>
    /// A copy of the file and of its IDAT data, and the scanlines (grown as they arrive, then trimmed):
    /// a few times what the IHDR promises, but no more than deflate's 1032:1 ratio can get out of the file.
    /// </summary>
    internal static long AllocationLimit(byte[] png) =>
        FuzzRun.BaseAllocation + 4L * png.Length + 4 * Math.Min(PromisedRawBytes(png), 1032L * png.Length);

    internal static Gen<FuzzInput> Inputs()
    {
        byte[][] valid = [.. Enumerable.Range(1, 4).Select(channels => PngWriter.Encode(Width, Height, channels, PatternPixels(Width, Height, channels, seed: channels)))];
        Gen<FuzzInput> damaged = Gen.OneOf(valid.Select(file => Mutations.Mutate("PNG", file, Gen.Frequency(
            (3, Mutations.ByteEdits(file.Length, HeaderLength)),
            (2, Mutations.FieldEdits(IhdrFields))))));
        return Gen.Frequency(
            (1, damaged),
            // With valid CRCs the damage gets past the chunk checks into the header and pixel logic.
            (2, damaged.Select(d => d with { Description = d.Description + ", CRCs repaired", Bytes = RepairCrcs(d.Bytes) })),
            (2, DamagedScanlines()));
    }

    /// <summary>A well-framed PNG whose zlib data decompresses to damaged scanlines, under a possibly damaged header.</summary>
    private static Gen<FuzzInput> DamagedScanlines() =>
        from channels in Gen.Choose(1, 4)
        from filter in Gen.Choose(0, 4)
        let raw = FilteredScanlines(PatternPixels(Width, Height, channels, seed: 7), Width, Height, channels, _ => (byte)filter)
        from scanlines in Mutations.Mutate("scanlines", raw, Mutations.ByteEdits(raw.Length, raw.Length), maxEdits: 2)
        from width in Gen.Frequency((3, Gen.Constant((ulong)Width)), (1, Mutations.ExtremeValue(4)))
        from height in Gen.Frequency((3, Gen.Constant((ulong)Height)), (1, Mutations.ExtremeValue(4)))
        from idatPiece in Gen.Elements(1, 7, int.MaxValue)
        select new FuzzInput($"{width}x{height}x{channels} PNG with {scanlines.Description}, IDAT split every {idatPiece} bytes",
            Build(scanlines.Bytes, (uint)width, (uint)height, channels, idatPiece));

    private static byte[] Build(byte[] scanlines, uint width, uint height, int channels, int idatPiece)
    {
        byte[] z = Zlib(scanlines);
        var chunks = new List<byte[]> { Ihdr(width, height, 8, ColorType(channels)) };
        for (int o = 0; o < z.Length; o += idatPiece)
            chunks.Add(Chunk("IDAT", z.AsSpan(o, Math.Min(idatPiece, z.Length - o))));
        chunks.Add(Chunk("IEND", []));
        return Assemble([.. chunks]);
    }

    /// <summary>Rewrites the CRC of every chunk whose framing still fits in the file.</summary>
    private static byte[] RepairCrcs(byte[] png)
    {
        byte[] fixedPng = (byte[])png.Clone();
        int at = 8;
        while (at + 12 <= fixedPng.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(fixedPng.AsSpan(at));
            if (length > fixedPng.Length - at - 12) break;
            int dataEnd = at + 8 + (int)length;
            BinaryPrimitives.WriteUInt32BigEndian(fixedPng.AsSpan(dataEnd), Crc(fixedPng.AsSpan(at + 4, 4 + (int)length)));
            at = dataEnd + 4;
        }
        return fixedPng;
    }

    /// <summary>Scanline bytes the IHDR promises (width * height * channels + a filter byte per row), 0 if there is no readable IHDR.</summary>
    private static long PromisedRawBytes(byte[] png)
    {
        if (png.Length < HeaderLength) return 0;
        long width = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), height = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        long channels = png[25] switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => 0 };
        return Mutations.SaturatingMultiply(height, Mutations.SaturatingMultiply(width, channels) + 1);
    }
}
