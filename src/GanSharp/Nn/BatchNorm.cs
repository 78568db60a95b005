using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// Batch normalisation (PyTorch's _BatchNorm): per-channel weight (1) and bias (0), and running
/// statistics running_mean (0) and running_var (1) kept as buffers. Training mode normalises with
/// the batch's statistics and updates the running ones (momentum 0.1, unbiased variance);
/// evaluation mode normalises with the running statistics.
/// </summary>
public abstract class BatchNorm : Module, IFusesRectifier
{
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public int NumFeatures { get; }
    public float Momentum { get; }
    public float Eps { get; }

    private protected BatchNorm(int numFeatures, float momentum, float eps)
    {
        if (numFeatures <= 0) throw new ArgumentException($"{GetType().Name} needs a positive number of features; got {numFeatures}.");
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentException($"{GetType().Name}: momentum must be in [0, 1]; got {momentum}.");
        if (!(eps > 0f)) throw new ArgumentException($"{GetType().Name}: eps must be positive; got {eps}.");
        (NumFeatures, Momentum, Eps) = (numFeatures, momentum, eps);
        Weight = RegisterParameter("weight", new Parameter(numFeatures));
        Bias = RegisterParameter("bias", new Parameter(numFeatures));
        Init.Constant(Weight, 1f);
        RunningMean = RegisterBuffer("running_mean", Tensor.Persistent(new Shape(numFeatures)));
        RunningVar = RegisterBuffer("running_var", Tensor.Persistent(new Shape(numFeatures)));
        Init.Constant(RunningVar, 1f);
    }

    /// <summary>The input rank this layer accepts: 2 for [N, C], 4 for [N, C, H, W].</summary>
    private protected abstract int InputRank { get; }

    public override Tensor Forward(Tensor input) => Forward(input, Activation.Identity, 0f);

    /// <summary>The layer followed by a ReLU or a leaky ReLU (slope ≥ 0), fused into its passes (Sequential uses this).</summary>
    Tensor IFusesRectifier.Forward(Tensor input, Activation activation, float slope) => Forward(input, activation, slope);

    private Tensor Forward(Tensor input, Activation activation, float slope)
    {
        if (input.Rank != InputRank || input.Shape[1] != NumFeatures)
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): input {input.Shape} is not " +
                (InputRank == 2 ? $"[N, {NumFeatures}]." : $"[N, {NumFeatures}, H, W]."));
        return Tensor.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, IsTraining, Momentum, Eps, activation, slope);
    }

    /// <summary>Resets the running statistics to mean 0 and variance 1.</summary>
    public void ResetRunningStats()
    {
        Init.Zeros(RunningMean);
        Init.Constant(RunningVar, 1f);
    }
}

/// <summary>Batch normalisation of [N, C] features over the batch (PyTorch's nn.BatchNorm1d on 2-D input).</summary>
public sealed class BatchNorm1d(int numFeatures, float momentum = 0.1f, float eps = 1e-5f) : BatchNorm(numFeatures, momentum, eps)
{
    private protected override int InputRank => 2;
}

/// <summary>Batch normalisation of [N, C, H, W] images per channel over batch and positions (PyTorch's nn.BatchNorm2d).</summary>
public sealed class BatchNorm2d(int numChannels, float momentum = 0.1f, float eps = 1e-5f) : BatchNorm(numChannels, momentum, eps)
{
    private protected override int InputRank => 4;
}
