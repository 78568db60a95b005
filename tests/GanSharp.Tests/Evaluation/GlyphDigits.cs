using GanSharp.Data;
using GanSharp.Figures;

namespace GanSharp.Tests.Evaluation;

/// <summary>
/// Synthetic "MNIST" for tests (no download): the bitmap font's digits 0-9 scaled 3x into 28x28 images,
/// shifted by up to 3 pixels each way, with pixel noise; labels are the digits.
/// </summary>
internal static class GlyphDigits
{
    public static Dataset Create(int count, int seed, string name = "glyph-digits")
    {
        var rng = new Random(seed);
        var data = new float[count * 784];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int digit = n % 10;
            labels[n] = digit;
            var image = data.AsSpan(n * 784, 784);
            for (int i = 0; i < image.Length; i++) image[i] = 0.1f * (float)rng.NextDouble();
            int left = 6 + rng.Next(-3, 4), top = 1 + rng.Next(-1, 2);
            for (int row = 0; row < BitmapFont.GlyphHeight * 3; row++)
                for (int col = 0; col < BitmapFont.GlyphWidth * 3; col++)
                    if (BitmapFont.IsSet((char)('0' + digit), col / 3, row / 3))
                        image[(top + row) * 28 + left + col] = 0.8f + 0.2f * (float)rng.NextDouble();
        }
        return new Dataset(name, data, [1, 28, 28], labels, 10);
    }

    /// <summary>Writes <paramref name="count"/> digits as mnist10k's two IDX files into a new folder (found through --data, as the real files would be).</summary>
    public static string WriteMnist10k(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var digits = Create(count, seed);
        var pixels = digits.Data.Select(v => (byte)Math.Clamp(MathF.Round(v * 255f), 0, 255)).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "mnist10k-images-idx3-ubyte"), Data.DataTestFiles.Idx([(uint)count, 28, 28], pixels));
        File.WriteAllBytes(Path.Combine(folder, "mnist10k-labels-idx1-ubyte"), Data.DataTestFiles.Idx([(uint)count], digits.Labels!.Select(l => (byte)l).ToArray()));
        return folder;
    }
}
