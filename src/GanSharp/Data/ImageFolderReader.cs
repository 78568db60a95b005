using GanSharp.Figures;

namespace GanSharp.Data;

/// <summary>
/// Loads a folder of 8-bit PNG images (grey or RGB; an alpha channel is dropped) as a dataset of
/// shape [channels, height, width] with pixels scaled to [0, 1], for image sets users bring
/// themselves (e.g. the Toronto Face Database). Files are read in ordinal name order.
/// </summary>
/// <remarks>
/// Two layouts: PNG files directly in the folder give an unlabelled dataset; a folder holding only
/// subfolders gives one class per subfolder, labelled 0.. in ordinal order of the subfolder names
/// (hidden folders, starting with '.', are skipped). Every image must have the size and channel
/// count of the first, and every bad file ends in a <see cref="DataFormatException"/> naming it.
/// </remarks>
public static class ImageFolderReader
{
    /// <param name="grayscale">Convert RGB images to grey (ITU-R BT.601 luma), giving one channel.</param>
    public static Dataset Load(string folder, string name, bool grayscale = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");

        var files = new List<string>();
        List<int>? labels = null;
        List<string>? classNames = null;
        string[] topLevel = PngFiles(folder);
        if (topLevel.Length > 0)
        {
            files.AddRange(topLevel);
        }
        else
        {
            string[] classFolders = Directory.GetDirectories(folder)
                .Where(d => !Path.GetFileName(d).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (classFolders.Length == 0)
                throw DataFormatException.In(folder, "holds no .png images and no class subfolders (only PNG is supported)");
            labels = [];
            classNames = [];
            foreach (string classFolder in classFolders)
            {
                string[] inClass = PngFiles(classFolder);
                if (inClass.Length == 0)
                    throw DataFormatException.In(classFolder, "class folder holds no .png images");
                files.AddRange(inClass);
                labels.AddRange(Enumerable.Repeat(classNames.Count, inClass.Length));
                classNames.Add(Path.GetFileName(classFolder));
            }
        }

        float[] data = [];
        int width = 0, height = 0, channels = 0, dimension = 0;
        for (int i = 0; i < files.Count; i++)
        {
            RasterImage image = ReadPng(files[i]);
            int colour = image.Channels is 1 or 2 ? 1 : 3; // channels without alpha
            int outChannels = grayscale ? 1 : colour;
            if (i == 0)
            {
                (width, height, channels) = (image.Width, image.Height, outChannels);
                dimension = channels * height * width;
                if ((long)files.Count * dimension > Dataset.MaxElements)
                    throw DataFormatException.In(folder, $"{files.Count} images of {width}x{height}x{channels} exceed the limit of {Dataset.MaxElements} elements");
            }
            else if (image.Width != width || image.Height != height)
            {
                throw DataFormatException.In(files[i], $"image is {image.Width}x{image.Height}, but {files[0]} (the first image) is {width}x{height}; all images must have the same size");
            }
            else if (outChannels != channels)
            {
                throw DataFormatException.In(files[i], $"image is {Describe(colour)}, but {files[0]} (the first image) is {Describe(channels)}; convert the set, or load with grayscale: true");
            }
            // Grow (doubling, up to the exact total) as images decode: only decoded images justify memory,
            // not file names, which may turn out to be anything.
            long needed = (long)(i + 1) * dimension;
            if (data.Length < needed)
                Array.Resize(ref data, (int)Math.Min(Math.Max(needed, 2L * data.Length), (long)files.Count * dimension));
            ToPlanes(image, colour == 3 && grayscale, data.AsSpan(i * dimension, dimension));
        }

        return new Dataset(name, data, [channels, height, width], labels?.ToArray(), classNames?.Count, classNames);
    }

    private static string[] PngFiles(string folder) =>
        Directory.GetFiles(folder)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static RasterImage ReadPng(string path)
    {
        try
        {
            return PngReader.Read(path);
        }
        catch (PngFormatException ex)
        {
            throw new DataFormatException(ex.Message, ex); // PngReader's message already names the file
        }
    }

    // Interleaved HWC bytes (possibly with alpha) to planar CHW floats in [0, 1].
    private static void ToPlanes(RasterImage image, bool toGrey, Span<float> destination)
    {
        int pixels = image.Width * image.Height, stride = image.Channels;
        byte[] src = image.Pixels;
        int colour = stride is 1 or 2 ? 1 : 3;
        if (toGrey)
        {
            for (int p = 0; p < pixels; p++)
            {
                int s = p * stride;
                destination[p] = (0.299f * src[s] + 0.587f * src[s + 1] + 0.114f * src[s + 2]) / 255f;
            }
            return;
        }
        for (int c = 0; c < colour; c++)
        {
            Span<float> plane = destination.Slice(c * pixels, pixels);
            for (int p = 0; p < pixels; p++) plane[p] = PixelScale.ToUnit(src[p * stride + c]);
        }
    }

    private static string Describe(int channels) => channels == 1 ? "greyscale" : "RGB";
}
