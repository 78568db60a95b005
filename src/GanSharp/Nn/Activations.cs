using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>An activation that <see cref="Sequential"/> can fuse into a preceding <see cref="Linear"/> (or, a rectifier, into an <see cref="IFusesRectifier"/> layer).</summary>
public abstract class ActivationModule : Module
{
    internal abstract Activation Kind { get; }
    internal virtual float Slope => 0f;

    /// <summary>
    /// A ReLU or a leaky ReLU with slope ≥ 0: its output's sign is its input's, so the layer before it can apply it
    /// in its own pass and its backward read the step off the output (Sequential fuses these into Conv2d and BatchNorm).
    /// </summary>
    internal bool IsRectifier => Kind == Activation.Relu || (Kind == Activation.LeakyRelu && Slope >= 0f);
}

/// <summary>A layer that can apply the rectifier after it (<see cref="ActivationModule.IsRectifier"/>) in its own passes (Sequential uses this).</summary>
internal interface IFusesRectifier
{
    /// <summary>The layer followed by a ReLU or a leaky ReLU with <paramref name="slope"/> ≥ 0, fused.</summary>
    Tensor Forward(Tensor input, Activation activation, float slope);
}

public sealed class ReLU : ActivationModule
{
    internal override Activation Kind => Activation.Relu;
    public override Tensor Forward(Tensor input) => input.Relu();
}

public sealed class LeakyReLU(float negativeSlope = 0.01f) : ActivationModule
{
    public float NegativeSlope { get; } = negativeSlope;
    internal override Activation Kind => Activation.LeakyRelu;
    internal override float Slope => NegativeSlope;
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

public sealed class Sigmoid : ActivationModule
{
    internal override Activation Kind => Activation.Sigmoid;
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

public sealed class Tanh : ActivationModule
{
    internal override Activation Kind => Activation.Tanh;
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>log(1 + exp(x)); not fusable, so a plain module.</summary>
public sealed class Softplus : Module
{
    public override Tensor Forward(Tensor input) => input.Softplus();
}
