using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// 2-D convolution, PyTorch's nn.Conv2d with square kernel, stride and padding: weight
/// [out, in, k, k], bias [out], both initialised uniform +-1/sqrt(in k k) as PyTorch does.
/// </summary>
public sealed class Conv2d : Module, IFusesRectifier
{
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Rng? rng = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException($"Conv2d needs positive channels, kernel and stride and padding >= 0; got in={inChannels}, out={outChannels}, kernel={kernelSize}, stride={stride}, padding={padding}.");
        (InChannels, OutChannels, KernelSize, Stride, Padding) = (inChannels, outChannels, kernelSize, stride, padding);
        Weight = RegisterParameter("weight", new Parameter(outChannels, inChannels, kernelSize, kernelSize));
        Bias = bias ? RegisterParameter("bias", new Parameter(outChannels)) : null;
        ConvInit.PyTorchDefault(Weight, Bias, rng);
    }

    /// <summary>Output height or width for an input of <paramref name="size"/>.</summary>
    public int OutputSize(int size) => Tensor.ConvOutputSize(size, KernelSize, Stride, Padding);

    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <summary>The layer followed by a ReLU or a leaky ReLU (slope ≥ 0), applied as the output is written (Sequential uses this).</summary>
    Tensor IFusesRectifier.Forward(Tensor input, Activation activation, float slope) =>
        Tensor.Conv2d(input, Weight, Bias, Stride, Padding, activation, slope);
}

internal static class ConvInit
{
    /// <summary>
    /// PyTorch's _ConvNd.reset_parameters: kaiming_uniform_(a = sqrt(5)), i.e. U(+-1/sqrt(fan_in)),
    /// and the bias U(+-1/sqrt(fan_in)), with fan_in = weight.size(1) * k * k.
    /// </summary>
    public static void PyTorchDefault(Parameter weight, Parameter? bias, Rng? rng)
    {
        Init.KaimingUniform(weight, MathF.Sqrt(5f), rng);
        if (bias == null) return;
        float bound = 1f / MathF.Sqrt(weight.Shape[1] * weight.Shape[2] * weight.Shape[3]);
        Init.Uniform(bias, -bound, bound, rng);
    }
}
