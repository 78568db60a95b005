using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>y = x W^T + b with W [out, in], initialised as PyTorch's nn.Linear (uniform +-1/sqrt(in)).</summary>
public sealed class Linear : Module
{
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public int InFeatures { get; }
    public int OutFeatures { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true, Rng? rng = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear needs positive sizes; got in={inFeatures}, out={outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", new Parameter(outFeatures, inFeatures));
        float bound = 1f / MathF.Sqrt(inFeatures);
        Init.Uniform(Weight, -bound, bound, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Parameter(outFeatures));
            Init.Uniform(Bias, -bound, bound, rng);
        }
    }

    public override Tensor Forward(Tensor input) => Forward(input, Activation.Identity, 0f);

    /// <summary>The layer followed by an activation, fused into the GEMM epilogue (Sequential uses this).</summary>
    public Tensor Forward(Tensor input, Activation activation, float slope) =>
        Tensor.Linear(input, Weight, Bias, activation, slope);
}
