using FsCheck;
using FsCheck.Fluent;
using GanSharp.Data;
using GanSharp.Tests.Data;
using Xunit.Abstractions;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Fuzz;

public sealed class CifarReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Records = 2;

    /// <summary>CIFAR-10 has no header; the label bytes at the start of each record are what the reader checks.</summary>
    private static readonly HeaderField[] Labels =
        [.. Enumerable.Range(0, Records).Select(r => new HeaderField($"label {r}", r * CifarReader.RecordLength, 1, BigEndian: false))];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task MalformedBatches_LoadOrThrowDataFormatException()
    {
        string path = _folder.Path("data_batch_fuzz.bin");
        byte[] valid = Cifar([3, 9], RandomBytes(Records * CifarReader.ImageBytes, seed: 3));
        Gen<FuzzInput> inputs = Mutations.Mutate("CIFAR-10 batch", valid, Gen.Frequency(
            (3, Mutations.ByteEdits(valid.Length, headerLength: 1)),
            (2, Mutations.FieldEdits(Labels)),
            (1, Gen.Choose(1, 3).Select(n => (Edit)new InsertBytes(n * 977, valid[..CifarReader.RecordLength]))))); // a whole extra record

        var outcomes = await FuzzRun.ReadsOrRefusesAsync<FuzzInput, DataFormatException>(output, inputs,
            input => CifarReader.Load(path, "fuzz"),
            // A float per pixel and an int per label: about 4 bytes per file byte.
            input => FuzzRun.BaseAllocation + 5L * input.Bytes.Length,
            prepare: input => FuzzRun.Overwrite(path, input.Bytes));

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }
}
