using GanSharp.Nn;
using GanSharp.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Optim;

/// <summary>Adam (Kingma and Ba 2015) with bias correction, as torch.optim.Adam (L2 weight decay added to the gradient).</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m, _v;

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }
    public float WeightDecay { get; }

    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f) : base(parameters, learningRate)
    {
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f))
            throw new ArgumentException($"Adam betas must be in [0, 1); got ({beta1}, {beta2}).");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _m = Params.Select(p => Tensor.Persistent(p.Shape)).ToArray();
        _v = Params.Select(p => Tensor.Persistent(p.Shape)).ToArray();
    }

    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> g)
    {
        var m = _m[index].Span;
        var v = _v[index].Span;
        float b1 = Beta1, b2 = Beta2, wd = WeightDecay;
        float c1 = 1f - MathF.Pow(b1, StepCount), c2 = 1f - MathF.Pow(b2, StepCount);
        float stepSize = LearningRate / c1, invSqrtC2 = 1f / MathF.Sqrt(c2), eps = Epsilon;
        // One fused pass: moments, bias correction and update, as torch's foreach path computes them.
        for (int i = 0; i < p.Length; i++)
        {
            float gi = wd != 0f ? g[i] + wd * p[i] : g[i];
            float mi = m[i] = b1 * m[i] + (1f - b1) * gi;
            float vi = v[i] = b2 * v[i] + (1f - b2) * gi * gi;
            p[i] -= stepSize * mi / (MathF.Sqrt(vi) * invSqrtC2 + eps);
        }
    }

    public override IEnumerable<(string Name, Tensor Buffer)> StateBuffers()
    {
        for (int i = 0; i < Params.Length; i++)
        {
            yield return ($"{i}.exp_avg", _m[i]);
            yield return ($"{i}.exp_avg_sq", _v[i]);
        }
    }
}
