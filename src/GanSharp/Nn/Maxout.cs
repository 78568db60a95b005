using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// Maxout (Goodfellow et al. 2013): a linear map to units * pieces features, then the max of each
/// run of pieces consecutive features (pylearn2's layout). Weight is [units * pieces, in].
/// </summary>
public sealed class Maxout : Module
{
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public int Units { get; }
    public int Pieces { get; }

    public Maxout(int inFeatures, int units, int pieces, Rng? rng = null)
    {
        if (inFeatures <= 0 || units <= 0 || pieces <= 0)
            throw new ArgumentException($"Maxout needs positive sizes; got in={inFeatures}, units={units}, pieces={pieces}.");
        Units = units;
        Pieces = pieces;
        Weight = RegisterParameter("weight", new Parameter(units * pieces, inFeatures));
        Bias = RegisterParameter("bias", new Parameter(units * pieces));
        float bound = 1f / MathF.Sqrt(inFeatures);
        Init.Uniform(Weight, -bound, bound, rng);
        Init.Uniform(Bias, -bound, bound, rng);
    }

    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias).GroupMax(Pieces);
}
