namespace GanSharp.Evaluation;

/// <summary>For each query, the index of the closest reference row in Euclidean distance (the paper's Figure 2 check against memorisation).</summary>
public static class NearestNeighbours
{
    private const int ChunkRows = 64;

    public static int[] Find(ReadOnlySpan<float> queries, ReadOnlySpan<float> references, int dimension) =>
        Search(queries, references, dimension).Index;

    /// <summary>For each query, the Euclidean distance to the closest reference row.</summary>
    public static float[] Distances(ReadOnlySpan<float> queries, ReadOnlySpan<float> references, int dimension) =>
        Array.ConvertAll(Search(queries, references, dimension).SquaredDistance, d => MathF.Sqrt(MathF.Max(d, 0f))); // the GEMM expansion can dip below 0

    private static (int[] Index, float[] SquaredDistance) Search(ReadOnlySpan<float> queries, ReadOnlySpan<float> references, int dimension)
    {
        if (dimension <= 0 || queries.Length % dimension != 0 || references.Length % dimension != 0 || references.Length == 0)
            throw new ArgumentException($"Nearest neighbours: buffers must hold whole vectors of dimension {dimension}, with at least one reference.");
        int m = queries.Length / dimension, n = references.Length / dimension;
        var norms = SquaredDistances.RowNorms(references, dimension);
        var distances = new float[Math.Min(ChunkRows, Math.Max(1, m)) * n];
        var index = new int[m];
        var squared = new float[m];
        for (int start = 0; start < m; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, m - start);
            SquaredDistances.Compute(queries, start, rows, references, norms, dimension, distances);
            for (int r = 0; r < rows; r++)
            {
                var row = distances.AsSpan(r * n, n);
                int best = 0;
                for (int i = 1; i < n; i++) if (row[i] < row[best]) best = i;
                index[start + r] = best;
                squared[start + r] = row[best];
            }
        }
        return (index, squared);
    }
}
