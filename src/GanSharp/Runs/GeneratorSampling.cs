using GanSharp.Autograd;
using GanSharp.Gan;
using GanSharp.Nn;
using GanSharp.Tensors;

namespace GanSharp.Runs;

/// <summary>Draws from a generator in eval mode without recording a graph; results are plain arrays.</summary>
public static class GeneratorSampling
{
    public static float[] Sample(Module generator, NoisePrior noise, int count, Rng rng)
    {
        using var _ = TensorScope.Begin();
        return Forward(generator, noise.Sample(count, rng));
    }

    /// <summary>Rows per forward pass: a convolutional G's column buffers grow with the batch (10,000 rows at once took gigabytes).</summary>
    public const int ChunkRows = 500;

    /// <summary>G(z) for the given noise rows (count x noise dimension), <see cref="ChunkRows"/> rows at a time (eval mode, so chunks do not interact).</summary>
    public static float[] Forward(Module generator, Tensor z)
    {
        using var noGrad = GradMode.NoGrad();
        bool training = generator.IsTraining;
        generator.Eval();
        try
        {
            int rows = z.Shape[0];
            float[]? result = null;
            for (int r0 = 0; r0 < rows; r0 += ChunkRows)
            {
                using var scope = TensorScope.Begin();
                int count = Math.Min(ChunkRows, rows - r0);
                var x = generator.Forward(z.Slice(0, r0, count).Contiguous()).Contiguous();
                int width = x.Length / count;
                result ??= new float[(long)rows * width];
                x.Span.CopyTo(result.AsSpan(r0 * width, count * width));
            }
            return result ?? [];
        }
        finally { generator.Train(training); }
    }

    /// <summary>
    /// Linear paths in z: each of <paramref name="rows"/> rows walks in <paramref name="steps"/> equal
    /// steps from one random z to another (the paper's Figure 3).
    /// </summary>
    public static float[] Interpolations(Module generator, NoisePrior noise, int rows, int steps, Rng rng)
    {
        var z = Tensor.Zeros(rows * steps, noise.Dimension);
        var a = new float[noise.Dimension];
        var b = new float[noise.Dimension];
        var zs = z.Span;
        for (int r = 0; r < rows; r++)
        {
            noise.Fill(a, rng);
            noise.Fill(b, rng);
            for (int s = 0; s < steps; s++)
            {
                float t = steps == 1 ? 0f : (float)s / (steps - 1);
                var row = zs.Slice((r * steps + s) * noise.Dimension, noise.Dimension);
                for (int k = 0; k < row.Length; k++) row[k] = (1 - t) * a[k] + t * b[k];
            }
        }
        return Forward(generator, z);
    }
}
