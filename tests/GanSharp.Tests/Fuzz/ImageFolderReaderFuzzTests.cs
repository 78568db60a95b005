using FsCheck;
using FsCheck.Fluent;
using GanSharp.Data;
using GanSharp.Figures;
using GanSharp.Tests.Data;
using Xunit.Abstractions;
using static GanSharp.Tests.Figures.PngTestFiles;

namespace GanSharp.Tests.Fuzz;

/// <summary>
/// The PNG decoding itself is fuzzed in <see cref="PngReaderFuzzTests"/>; this checks the folder
/// reader's own layer (errors translated, sizes and channels compared with the first image) on fewer cases.
/// </summary>
public sealed class ImageFolderReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private sealed record FolderCase(FuzzInput SecondImage, bool Grayscale);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FoldersWithAMalformedPng_LoadOrThrowDataFormatException()
    {
        string first = _folder.Path("images/a.png"), second = _folder.Path("images/b.png");
        File.WriteAllBytes(first, PngWriter.Encode(5, 4, 3, PatternPixels(5, 4, 3, seed: 1)));
        Gen<FolderCase> inputs = from png in PngReaderFuzzTests.Inputs()
                                 from grayscale in Gen.Elements(false, true)
                                 select new FolderCase(png, grayscale);

        var outcomes = await FuzzRun.ReadsOrRefusesAsync<FolderCase, DataFormatException>(output, inputs,
            c => ImageFolderReader.Load(Path.GetDirectoryName(first)!, "fuzz", c.Grayscale),
            // Reading the valid first image and the dataset of two small images costs at most another base allowance.
            c => FuzzRun.BaseAllocation + PngReaderFuzzTests.AllocationLimit(c.SecondImage.Bytes),
            prepare: c => FuzzRun.Overwrite(second, c.SecondImage.Bytes),
            cases: 2_000);

        Assert.True(outcomes.Refused > 1_000, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 20, $"only {outcomes.Accepted} accepted");
    }
}
