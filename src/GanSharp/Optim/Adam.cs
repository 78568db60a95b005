using System.Runtime.Intrinsics;
using GanSharp.Kernels;
using GanSharp.Nn;
using GanSharp.Tensors;

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

    protected override unsafe void Update(int index, Span<float> p, ReadOnlySpan<float> g)
    {
        var m = _m[index].Span;
        var v = _v[index].Span;
        float c1 = 1f - MathF.Pow(Beta1, StepCount), c2 = 1f - MathF.Pow(Beta2, StepCount);
        fixed (float* pp = p, pg = g, pm = m, pv = v)
        {
            var job = new UpdateJob
            {
                P = pp, G = pg, M = pm, V = pv, Length = p.Length, Beta1 = Beta1, Beta2 = Beta2, WeightDecay = WeightDecay,
                StepSize = LearningRate / c1, InvSqrtC2 = 1f / MathF.Sqrt(c2), Epsilon = Epsilon,
            };
            // Large tensors (a DCGAN's first layer has 640K weights) are split among the compute threads.
            ComputeThreads.Run(ElementwiseSplit.Parts(p.Length), &UpdatePart, &job);
        }
    }

    private unsafe struct UpdateJob
    {
        public float* P, G, M, V;
        public int Length;
        public float Beta1, Beta2, WeightDecay, StepSize, InvSqrtC2, Epsilon;
    }

    /// <summary>
    /// One fused pass: moments, bias correction and update, as torch's foreach path computes them.
    /// The vector lanes do exactly the scalar tail's operations (no fused multiply-add), so every
    /// element gets the same result whatever the split.
    /// </summary>
    private static unsafe void UpdatePart(int part, int parts, void* context)
    {
        ref readonly UpdateJob job = ref *(UpdateJob*)context;
        // Slices start on multiples of 64, so each element falls in a vector or in the tail the same way for any split.
        var (start, length) = ElementwiseSplit.Slice(job.Length, part, parts);
        int end = start + length;
        float* p = job.P, g = job.G, m = job.M, v = job.V;
        float b1 = job.Beta1, b2 = job.Beta2, wd = job.WeightDecay, stepSize = job.StepSize, invSqrtC2 = job.InvSqrtC2, eps = job.Epsilon;
        int i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1); var vb1c = Vector256.Create(1f - b1);
            var vb2 = Vector256.Create(b2); var vb2c = Vector256.Create(1f - b2);
            var vwd = Vector256.Create(wd); var vstep = Vector256.Create(stepSize);
            var vinv = Vector256.Create(invSqrtC2); var veps = Vector256.Create(eps);
            for (int vectorEnd = Math.Min(end, job.Length / 8 * 8); i < vectorEnd; i += 8)
            {
                var pi = Vector256.Load(p + i);
                var gi = Vector256.Load(g + i);
                if (wd != 0f) gi += vwd * pi;
                var mi = vb1 * Vector256.Load(m + i) + vb1c * gi;
                var vi = vb2 * Vector256.Load(v + i) + vb2c * gi * gi;
                mi.Store(m + i);
                vi.Store(v + i);
                (pi - vstep * mi / (Vector256.Sqrt(vi) * vinv + veps)).Store(p + i);
            }
        }
        for (; i < end; i++)
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
