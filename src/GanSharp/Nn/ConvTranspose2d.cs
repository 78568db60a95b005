using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// 2-D transposed convolution, PyTorch's nn.ConvTranspose2d: weight [in, out, k, k], bias [out],
/// initialised uniform +-1/sqrt(out k k) (PyTorch computes the fan-in from weight dimension 1).
/// </summary>
public sealed class ConvTranspose2d : Module
{
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        bool bias = true, Rng? rng = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException($"ConvTranspose2d needs positive channels, kernel and stride and padding >= 0; got in={inChannels}, out={outChannels}, kernel={kernelSize}, stride={stride}, padding={padding}.");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"ConvTranspose2d: output padding {outputPadding} must be in [0, stride {stride}).");
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding) = (inChannels, outChannels, kernelSize, stride, padding, outputPadding);
        Weight = RegisterParameter("weight", new Parameter(inChannels, outChannels, kernelSize, kernelSize));
        Bias = bias ? RegisterParameter("bias", new Parameter(outChannels)) : null;
        ConvInit.PyTorchDefault(Weight, Bias, rng);
    }

    /// <summary>Output height or width for an input of <paramref name="size"/>: (size - 1) s - 2p + k + op.</summary>
    public int OutputSize(int size) => Tensor.ConvTransposeOutputSize(size, KernelSize, Stride, Padding, OutputPadding);

    public override Tensor Forward(Tensor input) => Tensor.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding);
}
