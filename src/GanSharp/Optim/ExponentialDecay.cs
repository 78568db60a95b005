namespace GanSharp.Optim;

/// <summary>
/// pylearn2's ExponentialDecay: after every minibatch the learning rate is divided by
/// <see cref="DecayFactor"/>, never going below <see cref="MinLearningRate"/>.
/// </summary>
public sealed class ExponentialDecay
{
    private readonly Optimizer _optimizer;

    public float DecayFactor { get; }
    public float MinLearningRate { get; }

    public ExponentialDecay(Optimizer optimizer, float decayFactor, float minLearningRate)
    {
        if (!(decayFactor >= 1f)) throw new ArgumentException($"Decay factor must be >= 1; got {decayFactor}.");
        _optimizer = optimizer;
        DecayFactor = decayFactor;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Call once per minibatch, after the optimizer step.</summary>
    public void Step() => _optimizer.LearningRate = MathF.Max(_optimizer.LearningRate / DecayFactor, MinLearningRate);
}
