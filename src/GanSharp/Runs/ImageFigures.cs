using GanSharp.Data;
using GanSharp.Evaluation;
using GanSharp.Figures;
using GanSharp.Gan;
using GanSharp.Nn;
using GanSharp.Tensors;

namespace GanSharp.Runs;

/// <summary>The image figures of the paper: samples with their nearest training examples (Figure 2) and z interpolations (Figure 3).</summary>
public static class ImageFigures
{
    /// <summary>
    /// rows x (cols - 1) samples; the last column (framed) holds the training example nearest to the
    /// sample beside it, so memorisation would show as identical neighbours.
    /// </summary>
    public static RasterImage SamplesWithNearestNeighbours(Module generator, NoisePrior noise, Dataset train, int[] shape, int rows, int cols, ulong seed)
    {
        int dim = train.Dimension, perRow = cols - 1;
        var samples = GeneratorSampling.Sample(generator, noise, rows * perRow, new Rng(seed));
        var lastOfRow = new float[rows * dim];
        for (int r = 0; r < rows; r++)
            samples.AsSpan((r * perRow + perRow - 1) * dim, dim).CopyTo(lastOfRow.AsSpan(r * dim, dim));
        var nearest = NearestNeighbours.Find(lastOfRow, train.Data.AsSpan(0, train.Count * dim), dim);

        var tiles = new float[rows * cols * dim];
        for (int r = 0; r < rows; r++)
        {
            samples.AsSpan(r * perRow * dim, perRow * dim).CopyTo(tiles.AsSpan(r * cols * dim));
            train.Example(nearest[r]).CopyTo(tiles.AsSpan((r * cols + perRow) * dim, dim));
        }
        return ImageGrid.Tile(tiles, rows * cols, shape[0], shape[1], shape[2],
            new ImageGridOptions { Rows = rows, Cols = cols, Scale = Scale(shape), HighlightColumn = cols - 1 });
    }

    public static RasterImage Samples(Module generator, NoisePrior noise, int[] shape, int count, ulong seed)
    {
        var samples = GeneratorSampling.Sample(generator, noise, count, new Rng(seed));
        int cols = (int)Math.Ceiling(Math.Sqrt(count));
        return ImageGrid.Tile(samples, count, shape[0], shape[1], shape[2], new ImageGridOptions { Cols = cols, Scale = Scale(shape) });
    }

    public static RasterImage Interpolations(Module generator, NoisePrior noise, int[] shape, int rows, int steps, ulong seed)
    {
        var images = GeneratorSampling.Interpolations(generator, noise, rows, steps, new Rng(seed));
        return ImageGrid.Tile(images, rows * steps, shape[0], shape[1], shape[2], new ImageGridOptions { Rows = rows, Cols = steps, Scale = Scale(shape) });
    }

    // Small images are hard to see at 1:1 in a report.
    private static int Scale(int[] shape) => shape[1] <= 32 ? 2 : 1;
}
