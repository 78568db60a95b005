using System.Buffers.Binary;
using System.IO.Compression;

namespace GanSharp.Data;

/// <summary>
/// Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed
/// (detected by the 1f 8b magic, not the file name). A header is 4 magic bytes (0, 0, element
/// type, dimension count) and one big-endian uint32 per dimension; the payload follows.
/// </summary>
/// <remarks>
/// The header is validated, and its declared size checked against what the file can hold, before
/// anything proportional to it is allocated: a raw file must be exactly header + payload long, and a
/// gzip file cannot decompress to more than <see cref="MaxDeflateRatio"/> times its own size. The
/// decompressed length must then match the header exactly, and the gzip trailer must record it
/// (single-member gzip, as gzip and the MNIST mirrors write). Every malformed file ends in a
/// <see cref="DataFormatException"/>.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic of a 3-D unsigned-byte array (images: count x rows x cols).</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic of a 1-D unsigned-byte array (labels).</summary>
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Deflate's best possible compression ratio is about 1032:1, which bounds a gzip file's payload.</summary>
    public const long MaxDeflateRatio = 1032;

    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 16;
    private const int BlockSize = 1 << 16;

    /// <summary>Reads any unsigned-byte IDX array (element type 0x08, 1 to 16 dimensions).</summary>
    public static IdxArray Read(string path) => Read(path, expectedMagic: null);

    /// <summary>Reads an images file (magic 0x00000803: count x rows x cols).</summary>
    public static IdxArray ReadImages(string path) => Read(path, ImagesMagic);

    /// <summary>Reads a labels file (magic 0x00000801: count).</summary>
    public static IdxArray ReadLabels(string path) => Read(path, LabelsMagic);

    /// <summary>
    /// Loads an MNIST-style pair of files as a dataset of shape [1, rows, cols] with pixels scaled
    /// to [0, 1]; <paramref name="labelsPath"/> may be null for unlabelled images.
    /// </summary>
    public static Dataset LoadMnistLike(string imagesPath, string? labelsPath, string name)
    {
        IdxArray images = ReadImages(imagesPath);
        int count = images.Shape[0], rows = images.Shape[1], cols = images.Shape[2];
        if (rows == 0 || cols == 0)
            throw DataFormatException.In(imagesPath, $"images have an empty size {rows}x{cols}");

        int[]? labels = null;
        if (labelsPath is not null)
        {
            IdxArray labelArray = ReadLabels(labelsPath);
            if (labelArray.Shape[0] != count)
                throw DataFormatException.In(labelsPath, $"holds {labelArray.Shape[0]} labels, but {imagesPath} holds {count} images");
            labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = labelArray.Data[i];
        }

        var data = new float[images.Data.Length];
        PixelScale.ToUnit(images.Data, data);
        return new Dataset(name, data, [1, rows, cols], labels);
    }

    private static IdxArray Read(string path, uint? expectedMagic)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BlockSize);
        long fileLength = file.Length;

        Span<byte> start = stackalloc byte[2];
        bool gzip = StreamReading.ReadAtMost(file, start) == 2 && start[0] == 0x1F && start[1] == 0x8B;
        file.Position = 0;

        if (!gzip) return Decode(file, path, gzip: false, fileLength, expectedMagic);
        try
        {
            IdxArray array;
            using (var stream = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
                array = Decode(stream, path, gzip: true, fileLength, expectedMagic);
            CheckGzipLength(file, path, 4 + 4L * array.Shape.Length + array.Data.Length);
            return array;
        }
        catch (InvalidDataException ex)
        {
            throw DataFormatException.In(path, $"corrupt gzip data: {ex.Message}", ex);
        }
    }

    // GZipStream verifies the CRC and length trailer when it is there, but silently accepts a file
    // cut short anywhere, trailer included. A single-member file ends with ISIZE, the uncompressed
    // length mod 2^32, so comparing it catches a cut trailer (and a cut body the header did not).
    private static void CheckGzipLength(FileStream file, string path, long decompressedLength)
    {
        const int MinGzipLength = 18; // 10-byte header + 8-byte trailer
        Span<byte> isize = stackalloc byte[4];
        if (file.Length >= MinGzipLength)
        {
            file.Seek(-4, SeekOrigin.End);
            if (StreamReading.ReadAtMost(file, isize) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(isize) == (uint)decompressedLength)
                return;
        }
        throw DataFormatException.In(path, $"the gzip trailer does not record the {decompressedLength} bytes decompressed: the file is truncated, corrupt, or a multi-member gzip (not supported)");
    }

    private static IdxArray Decode(Stream stream, string path, bool gzip, long fileLength, uint? expectedMagic)
    {
        Span<byte> magicBytes = stackalloc byte[4];
        int got = StreamReading.ReadAtMost(stream, magicBytes);
        if (got < 4)
            throw DataFormatException.In(path, $"truncated IDX header: {got} of 4 magic bytes");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        if (magicBytes[0] != 0 || magicBytes[1] != 0)
            throw DataFormatException.In(path, $"not an IDX file (magic 0x{magic:X8} does not start with two zero bytes)");
        if (expectedMagic is uint want && magic != want)
            throw DataFormatException.In(path, $"expected IDX magic 0x{want:X8} ({Describe(want)}), found 0x{magic:X8}");
        if (magicBytes[2] != UnsignedByteType)
            throw DataFormatException.In(path, $"unsupported IDX element type 0x{magicBytes[2]:X2} (only unsigned bytes, 0x08, are supported)");
        int rank = magicBytes[3];
        if (rank is 0 or > MaxDimensions)
            throw DataFormatException.In(path, $"IDX header declares {rank} dimensions (expected 1 to {MaxDimensions})");

        Span<byte> dimBytes = stackalloc byte[4 * rank];
        got = StreamReading.ReadAtMost(stream, dimBytes);
        if (got < dimBytes.Length)
            throw DataFormatException.In(path, $"truncated IDX header: {4 + got} of {4 + dimBytes.Length} bytes");

        var shape = new int[rank];
        long elements = 1, bound = 1; // bound treats zero dims as 1, so [0, 2^27, 2^27] is refused too
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes[(4 * i)..]);
            if (d > Dataset.MaxElements)
                throw DataFormatException.In(path, $"IDX dimension {i} is {d}, above the limit of {Dataset.MaxElements} elements");
            bound *= Math.Max(d, 1u);
            if (bound > Dataset.MaxElements)
                throw DataFormatException.In(path, $"IDX shape [{string.Join(", ", ReadDims(dimBytes))}] exceeds the limit of {Dataset.MaxElements} elements");
            elements *= d;
            shape[i] = (int)d;
        }

        long headerLength = 4 + dimBytes.Length;
        string shapeText = string.Join(" x ", shape);
        if (!gzip && fileLength - headerLength != elements)
            throw DataFormatException.In(path, $"IDX header declares {shapeText} = {elements} bytes of data, but the file holds {fileLength - headerLength}");
        if (gzip && headerLength + elements > fileLength * MaxDeflateRatio)
            throw DataFormatException.In(path, $"IDX header declares {shapeText} = {elements} bytes of data, more than a {fileLength}-byte gzip file can hold");

        var data = new byte[elements];
        got = StreamReading.ReadAtMost(stream, data);
        if (got < elements)
            throw DataFormatException.In(path, $"IDX data ends after {got} of the {elements} bytes the header declares ({shapeText}): truncated file");
        // Reading on to the end also makes the gzip stream verify its trailer.
        Span<byte> extra = stackalloc byte[1];
        if (StreamReading.ReadAtMost(stream, extra) != 0)
            throw DataFormatException.In(path, $"data continues beyond the {elements} bytes the IDX header declares ({shapeText})");
        return new IdxArray(shape, data);
    }

    private static string Describe(uint magic) => magic switch
    {
        ImagesMagic => "unsigned-byte images",
        LabelsMagic => "unsigned-byte labels",
        _ => "IDX",
    };

    private static uint[] ReadDims(ReadOnlySpan<byte> dimBytes)
    {
        var dims = new uint[dimBytes.Length / 4];
        for (int i = 0; i < dims.Length; i++) dims[i] = BinaryPrimitives.ReadUInt32BigEndian(dimBytes[(4 * i)..]);
        return dims;
    }
}
