namespace GanSharp.Data;

/// <summary>
/// Reads CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin). Each
/// record is one label byte (0..9) followed by a 32x32 RGB image stored channel by channel (CHW),
/// so records are 3073 bytes and the file has no header. Several files concatenate in the order
/// given. Pixels are scaled to [0, 1]; the sample shape is [3, 32, 32].
/// </summary>
/// <remarks>
/// Every file's length is checked (non-empty, a whole number of records) and the total size checked
/// against <see cref="Dataset.MaxElements"/> before the dataset is allocated. Malformed files end in
/// a <see cref="DataFormatException"/>.
/// </remarks>
public static class CifarReader
{
    public const int Side = 32;
    public const int Channels = 3;
    public const int ImageBytes = Channels * Side * Side;
    public const int RecordLength = 1 + ImageBytes;
    public const int ClassCount = 10;

    /// <summary>The CIFAR-10 class names (batches.meta.txt), index = label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Loads one batch file.</summary>
    public static Dataset Load(string batchPath, string name) => Load([batchPath], name);

    /// <summary>Loads and concatenates several batch files, in order.</summary>
    public static Dataset Load(IReadOnlyList<string> batchPaths, string name)
    {
        ArgumentNullException.ThrowIfNull(batchPaths);
        if (batchPaths.Count == 0) throw new ArgumentException("No CIFAR-10 batch files given.", nameof(batchPaths));

        var files = new List<FileStream>(batchPaths.Count);
        try
        {
            // Open and size every file first, so nothing is allocated for a set that cannot load.
            long records = 0;
            foreach (string path in batchPaths)
            {
                ArgumentException.ThrowIfNullOrEmpty(path);
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                files.Add(file);
                long length = file.Length;
                if (length == 0)
                    throw DataFormatException.In(path, $"empty file (a CIFAR-10 batch holds {RecordLength}-byte records)");
                if (length % RecordLength != 0)
                    throw DataFormatException.In(path, $"file length {length} is not a multiple of the {RecordLength}-byte CIFAR-10 record (label + 3x32x32 image): truncated, or not a CIFAR-10 binary batch");
                records += length / RecordLength;
            }
            if (records * ImageBytes > Dataset.MaxElements)
                throw DataFormatException.In(string.Join(", ", batchPaths), $"{records} CIFAR-10 records exceed the limit of {Dataset.MaxElements} elements");

            var data = new float[records * ImageBytes];
            var labels = new int[records];
            var record = new byte[RecordLength];
            int index = 0;
            for (int f = 0; f < files.Count; f++)
            {
                long inFile = files[f].Length / RecordLength;
                for (long r = 0; r < inFile; r++, index++)
                {
                    int got = StreamReading.ReadAtMost(files[f], record);
                    if (got < RecordLength) // the file shrank after it was sized
                        throw DataFormatException.In(batchPaths[f], $"record {r} is truncated ({got} of {RecordLength} bytes)");
                    if (record[0] >= ClassCount)
                        throw DataFormatException.In(batchPaths[f], $"record {r} has label {record[0]}; CIFAR-10 labels are 0..9");
                    labels[index] = record[0];
                    PixelScale.ToUnit(record.AsSpan(1), data.AsSpan(index * ImageBytes, ImageBytes));
                }
            }
            return new Dataset(name, data, [Channels, Side, Side], labels, ClassCount, ClassNames);
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }
    }
}
