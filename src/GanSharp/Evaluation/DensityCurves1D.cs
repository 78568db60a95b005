using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Tensors;

namespace GanSharp.Evaluation;

/// <summary>
/// The curves of the 1-D study on a grid of x: p_data, p_g (a density estimate of G's samples),
/// D(x), and the optimal discriminator for the current G, D*(x) = p_data / (p_data + p_g).
/// </summary>
public sealed record DensityCurves1D(double[] X, double[] PData, double[] PG, double[] D, double[] DStar, float[] Samples)
{
    /// <summary>Evaluates the trainer's G and D on <paramref name="points"/> grid points in [low, high].</summary>
    public static DensityCurves1D Compute(GanTrainer trainer, double low, double high, int points = 400, int samples = 10000, ulong seed = 7)
    {
        var density = trainer.Data as IDensity
            ?? throw new InvalidOperationException("Density curves need 1-D data with a known density.");
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        bool training = trainer.Discriminator.Network.IsTraining;
        trainer.Discriminator.Network.Eval();
        trainer.SamplingGenerator.Eval();
        try
        {
            var g = trainer.SamplingGenerator.Forward(trainer.Noise.Sample(samples, new Rng(seed))).ToArray();
            var x = new double[points];
            var grid = Tensor.Zeros(points, 1);
            for (int i = 0; i < points; i++)
            {
                x[i] = low + (high - low) * i / (points - 1);
                grid.Span[i] = (float)x[i];
            }
            var d = trainer.Pack == 1 ? trainer.Judge(grid).Sigmoid().ToArray() : PackedD(trainer, grid);
            var kde = new KernelDensity1D(g);
            var pData = new double[points];
            var pG = new double[points];
            var dStar = new double[points];
            Span<float> one = stackalloc float[1];
            for (int i = 0; i < points; i++)
            {
                one[0] = (float)x[i];
                pData[i] = density.Density(one);
                pG[i] = kde.Density(x[i]);
                double sum = pData[i] + pG[i];
                // D* is undefined where neither density has mass; leave a gap there rather than a 0/0.
                dStar[i] = sum > 1e-3 ? pData[i] / sum : double.NaN;
            }
            return new DensityCurves1D(x, pData, pG, d.Select(v => (double)v).ToArray(), dStar, g);
        }
        finally
        {
            trainer.Discriminator.Network.Train(training);
            trainer.SamplingGenerator.Train(training);
        }
    }

    /// <summary>With packing, D(x) is read with every slot of the pack holding x.</summary>
    private static float[] PackedD(GanTrainer trainer, Tensor grid)
    {
        int n = grid.Shape[0];
        var packed = Tensor.Zeros(n * trainer.Pack, 1);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < trainer.Pack; j++) packed.Span[i * trainer.Pack + j] = grid.Span[i];
        return trainer.Judge(packed).Sigmoid().ToArray();
    }
}
