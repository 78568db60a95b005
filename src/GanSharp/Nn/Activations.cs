using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>An activation that <see cref="Sequential"/> can fuse into a preceding <see cref="Linear"/>.</summary>
public abstract class ActivationModule : Module
{
    internal abstract Activation Kind { get; }
    internal virtual float Slope => 0f;
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
