using GanSharp.Nn;
using GanSharp.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, as torch.optim.SGD: v = mu v + g; p -= lr v.
/// (With a constant learning rate this equals pylearn2's inc = mu inc - lr g; p += inc.)
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] _velocity;

    public float Momentum { get; set; }
    public float WeightDecay { get; }

    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0f && momentum < 1f)) throw new ArgumentException($"Momentum must be in [0, 1); got {momentum}.");
        Momentum = momentum;
        WeightDecay = weightDecay;
        _velocity = Params.Select(p => Tensor.Persistent(p.Shape)).ToArray();
    }

    protected override void Update(int index, Span<float> p, ReadOnlySpan<float> g)
    {
        float lr = LearningRate;
        if (Momentum == 0f)
        {
            // p - lr (g + wd p) = p (1 - lr wd) - lr g
            if (WeightDecay != 0f) TensorPrimitives.Multiply(p, 1f - lr * WeightDecay, p);
            TensorPrimitives.MultiplyAdd(g, -lr, p, p);
            return;
        }
        var v = _velocity[index].Span;
        TensorPrimitives.MultiplyAdd(v, Momentum, g, v);
        if (WeightDecay != 0f) TensorPrimitives.MultiplyAdd(p, WeightDecay, v, v);
        TensorPrimitives.MultiplyAdd(v, -lr, p, p);
    }

    public override IEnumerable<(string Name, Tensor Buffer)> StateBuffers()
    {
        for (int i = 0; i < Params.Length; i++) yield return ($"{i}.momentum_buffer", _velocity[i]);
    }
}
