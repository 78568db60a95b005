using GanSharp.Nn;
using GanSharp.Optim;

namespace GanSharp.Gan;

/// <summary>One side of the game: its network, its optimizer, and the optimizer's schedules.</summary>
public sealed class Player
{
    public Module Network { get; }
    public Optimizer Optimizer { get; }
    public ExponentialDecay? LearningRateDecay { get; }
    public MomentumRamp? MomentumRamp { get; }
    internal Parameter[] Parameters { get; }
    private readonly string[] _names;

    public Player(Module network, Optimizer optimizer, ExponentialDecay? learningRateDecay = null, MomentumRamp? momentumRamp = null)
    {
        Network = network;
        Optimizer = optimizer;
        LearningRateDecay = learningRateDecay;
        MomentumRamp = momentumRamp;
        var named = network.NamedParameters().ToArray();
        Parameters = named.Select(p => p.Parameter).ToArray();
        _names = named.Select(p => p.Name).ToArray();
    }

    /// <summary>
    /// The name of the first parameter holding NaN or Inf, or null. One vectorised sum per parameter:
    /// any NaN or Inf makes the sum non-finite, and finite weights never sum past float's range.
    /// </summary>
    internal string? FirstNonFiniteParameter()
    {
        for (int i = 0; i < Parameters.Length; i++)
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(Parameters[i].Span))) return _names[i];
        return null;
    }

    /// <summary>Optimizer step plus the per-minibatch learning-rate decay.</summary>
    internal void Step()
    {
        Optimizer.Step();
        LearningRateDecay?.Step();
    }

    /// <summary>WGAN's Lipschitz constraint by clipping: every parameter clamped to [-c, c].</summary>
    internal void ClampWeights(float c)
    {
        foreach (var p in Parameters) System.Numerics.Tensors.TensorPrimitives.Clamp(p.Span, -c, c, p.Span);
    }
}
