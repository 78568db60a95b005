using GanSharp.Nn;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Optim;

/// <summary>
/// Keeps <see cref="Average"/>, a copy of a network whose weights are an exponential moving average
/// of the trained one's: avg = decay avg + (1 - decay) w after every step. Sampling from the averaged
/// generator removes much of the step-to-step oscillation of GAN training (Yazici et al. 2019; the
/// G_ema of ProGAN/StyleGAN).
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly Parameter[] _source, _average;
    private readonly Tensors.Tensor[] _sourceBuffers, _averageBuffers;

    public Module Average { get; }
    public float Decay { get; }

    /// <param name="source">The network being trained.</param>
    /// <param name="average">A network of identical architecture; its weights are overwritten with the source's.</param>
    public ExponentialMovingAverage(Module source, Module average, float decay)
    {
        if (!(decay >= 0f && decay < 1f)) throw new ArgumentException($"EMA decay must be in [0, 1); got {decay}.");
        _source = source.Parameters().ToArray();
        _average = average.Parameters().ToArray();
        if (_source.Length != _average.Length || _source.Zip(_average).Any(p => p.First.Shape != p.Second.Shape))
            throw new ArgumentException("EMA: the averaged network must have the same parameters as the source.");
        for (int i = 0; i < _source.Length; i++) _source[i].Span.CopyTo(_average[i].Span);
        _sourceBuffers = source.NamedBuffers().Select(b => b.Buffer).ToArray();
        _averageBuffers = average.NamedBuffers().Select(b => b.Buffer).ToArray();
        if (_sourceBuffers.Length != _averageBuffers.Length || _sourceBuffers.Zip(_averageBuffers).Any(p => p.First.Shape != p.Second.Shape))
            throw new ArgumentException("EMA: the averaged network must have the same buffers as the source.");
        Average = average;
        Decay = decay;
    }

    public void Update()
    {
        for (int i = 0; i < _source.Length; i++)
        {
            var avg = _average[i].Span;
            // avg = decay avg + (1 - decay) w, as avg + (1 - decay)(w - avg) would need a temporary.
            TensorPrimitives.Multiply(avg, Decay, avg);
            TensorPrimitives.MultiplyAdd(_source[i].Span, 1f - Decay, avg, avg);
        }
        // Buffers (batch-norm running statistics) are copied, not averaged: they describe the current weights' activations.
        for (int i = 0; i < _sourceBuffers.Length; i++) _sourceBuffers[i].Span.CopyTo(_averageBuffers[i].Span);
    }
}
