using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Evaluation;

/// <summary>The result of the Parzen-window protocol of Goodfellow et al. 2014 (Table 1).</summary>
public sealed record ParzenResult(double Sigma, double[] Sigmas, double[] ValidationMeans, double TestMean, double TestStandardError, int Samples, int TestPoints);

/// <summary>
/// Gaussian Parzen-window log-likelihood: a mixture of isotropic Gaussians of width sigma centred on
/// generated samples mu_i, evaluated at held-out points:
///   log p(x) = logmeanexp_i(-||x - mu_i||^2 / (2 sigma^2)) - d log(sigma sqrt(2 pi)).
/// Squared distances come from one GEMM per chunk of points (||x||^2 + ||mu||^2 - 2 x.mu), so memory
/// stays bounded by the chunk, and every sigma is evaluated on the same distances.
/// </summary>
public static class ParzenWindow
{
    private const int ChunkRows = 128;

    /// <summary>The paper's grid: <paramref name="count"/> values log-spaced in [low, high].</summary>
    public static double[] SigmaGrid(double low = 0.1, double high = 1.0, int count = 10) =>
        Enumerable.Range(0, count).Select(i => count == 1 ? low : low * Math.Pow(high / low, (double)i / (count - 1))).ToArray();

    /// <summary>
    /// The protocol: sigma chosen by mean log-likelihood on the validation points, then the test
    /// mean log-likelihood with its standard error (std of per-point values / sqrt(count)).
    /// </summary>
    public static ParzenResult Evaluate(ReadOnlySpan<float> samples, ReadOnlySpan<float> validation, ReadOnlySpan<float> test, int dimension, double[]? sigmas = null)
    {
        sigmas ??= SigmaGrid();
        var validationLl = LogLikelihoods(samples, validation, dimension, sigmas);
        var means = validationLl.Select(row => row.Average()).ToArray();
        int best = Array.IndexOf(means, means.Max());
        var testLl = LogLikelihoods(samples, test, dimension, [sigmas[best]])[0];
        double mean = testLl.Average();
        double variance = testLl.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, testLl.Length - 1);
        return new ParzenResult(sigmas[best], sigmas, means, mean, Math.Sqrt(variance / testLl.Length), samples.Length / dimension, testLl.Length);
    }

    /// <summary>log p(x) of every point under each sigma: result[s][j] for sigma s and point j.</summary>
    public static double[][] LogLikelihoods(ReadOnlySpan<float> samples, ReadOnlySpan<float> points, int dimension, ReadOnlySpan<double> sigmas)
    {
        if (dimension <= 0 || samples.Length % dimension != 0 || points.Length % dimension != 0)
            throw new ArgumentException($"Parzen: sample ({samples.Length}) and point ({points.Length}) buffers must hold whole vectors of dimension {dimension}.");
        int n = samples.Length / dimension, m = points.Length / dimension;
        if (n == 0) throw new ArgumentException("Parzen: no samples.");
        foreach (var s in sigmas) if (!(s > 0)) throw new ArgumentException($"Parzen: sigma must be > 0; got {s}.");

        var result = new double[sigmas.Length][];
        for (int s = 0; s < sigmas.Length; s++) result[s] = new double[m];
        var sampleNorms = SquaredDistances.RowNorms(samples, dimension);
        var distances = new float[Math.Min(ChunkRows, Math.Max(1, m)) * n];
        var scaled = new float[n];
        double logN = Math.Log(n);
        for (int start = 0; start < m; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, m - start);
            SquaredDistances.Compute(points, start, rows, samples, sampleNorms, dimension, distances);
            for (int r = 0; r < rows; r++)
            {
                var row = distances.AsSpan(r * n, n);
                float minDistance = TensorPrimitives.Min(row);
                for (int s = 0; s < sigmas.Length; s++)
                {
                    double sigma = sigmas[s], inv = 1.0 / (2 * sigma * sigma);
                    // logmeanexp with the largest term factored out: exp(-(d - d_min) / 2 sigma^2) <= 1.
                    TensorPrimitives.Add(row, -minDistance, scaled);
                    TensorPrimitives.Multiply(scaled, (float)-inv, scaled);
                    TensorPrimitives.Exp(scaled, scaled);
                    double sum = TensorPrimitives.Sum(scaled);
                    result[s][start + r] = -minDistance * inv + Math.Log(sum) - logN - dimension * Math.Log(sigma * Math.Sqrt(2 * Math.PI));
                }
            }
        }
        return result;
    }
}
