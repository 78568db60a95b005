using GanSharp.Autograd;
using GanSharp.Kernels;

namespace GanSharp.Tensors;

// 2-D convolution and transposed convolution (PyTorch's F.conv2d / F.conv_transpose2d, square
// stride and padding, no dilation or groups), lowered to GEMMs over im2col columns (Im2Col,
// ConvKernel, ConvTransposeKernel). Three ops close under differentiation: conv's input gradient is
// a transposed conv with the same weight and vice versa, and both weight gradients are
// Conv2dWeightGrad, whose own gradients are again a conv and a transposed conv. So gradients of any
// order are exact. No column matrix is kept between the passes: remaking it chunk by chunk in L2
// costs less than writing it to memory and reading it back.
public partial class Tensor
{
    /// <summary>
    /// Cross-correlation of <paramref name="x"/> [N, C, H, W] with <paramref name="weight"/> [O, C, kh, kw]
    /// plus <paramref name="bias"/> [O]: the output is [N, O, (H + 2p - kh) / s + 1, (W + 2p - kw) / s + 1].
    /// With <paramref name="activation"/> ReLU, or LeakyReLU with <paramref name="slope"/> ≥ 0, the output is rectified
    /// as it is written (one pass fewer; the backward reads the rectifier's step off the output).
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
        Activation activation = Activation.Identity, float slope = 0.01f)
    {
        CheckConvArguments("conv2d", x, weight, bias, stride, padding, weightChannelAxis: 1, biasAxis: 0);
        if (activation is not (Activation.Identity or Activation.Relu or Activation.LeakyRelu) || (activation == Activation.LeakyRelu && slope < 0f))
            throw new ArgumentException($"conv2d: only a ReLU or a leaky ReLU with slope >= 0 fuses with it, not {activation} ({slope}).");
        int kh = weight.Shape[2], kw = weight.Shape[3];
        if (x.Shape[2] + 2 * padding < kh || x.Shape[3] + 2 * padding < kw)
            throw new ArgumentException($"conv2d: kernel {kh}x{kw} of weight {weight.Shape} is larger than input {x.Shape} padded by {padding}.");
        return Conv2dCore(x, weight, bias, stride, padding, activation, activation == Activation.Relu ? 0f : slope);
    }

    /// <summary>
    /// The transpose (adjoint) of <see cref="Conv2d"/> with weight [C, O, kh, kw] (PyTorch's layout):
    /// <paramref name="x"/> [N, C, H, W] becomes [N, O, (H - 1) s - 2p + kh + op, (W - 1) s - 2p + kw + op].
    /// <paramref name="outputPadding"/> (op &lt; stride) picks among the output sizes a stride-s conv maps to H.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        CheckConvArguments("conv_transpose2d", x, weight, bias, stride, padding, weightChannelAxis: 0, biasAxis: 1);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"conv_transpose2d: output padding {outputPadding} must be in [0, stride {stride}) (input {x.Shape}, weight {weight.Shape}).");
        int outH = ConvTransposeOutputSize(x.Shape[2], weight.Shape[2], stride, padding, outputPadding);
        int outW = ConvTransposeOutputSize(x.Shape[3], weight.Shape[3], stride, padding, outputPadding);
        if (outH <= 0 || outW <= 0)
            throw new ArgumentException($"conv_transpose2d: input {x.Shape} and weight {weight.Shape} with stride {stride}, padding {padding} give an empty {outH}x{outW} output.");
        return ConvTranspose2dCore(x, weight, bias, stride, padding, outH, outW);
    }

    /// <summary>(size + 2 padding - kernel) / stride + 1, the spatial size a convolution outputs (0 when the kernel does not fit).</summary>
    public static int ConvOutputSize(int size, int kernel, int stride, int padding) =>
        size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    /// <summary>(size - 1) stride - 2 padding + kernel + outputPadding, the spatial size a transposed convolution outputs.</summary>
    public static int ConvTransposeOutputSize(int size, int kernel, int stride, int padding, int outputPadding) =>
        (size - 1) * stride - 2 * padding + kernel + outputPadding;

    private static void CheckConvArguments(string op, Tensor x, Tensor weight, Tensor? bias, int stride, int padding, int weightChannelAxis, int biasAxis)
    {
        if (x.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"{op}: input {x.Shape} and weight {weight.Shape} must both have rank 4 (input [N, C, H, W]).");
        if (x.Shape[1] != weight.Shape[weightChannelAxis])
            throw new ArgumentException($"{op}: input {x.Shape} has {x.Shape[1]} channels but weight {weight.Shape} expects {weight.Shape[weightChannelAxis]} " +
                (weightChannelAxis == 1 ? "(weight is [out, in, kh, kw])." : "(weight is [in, out, kh, kw])."));
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[biasAxis]))
            throw new ArgumentException($"{op}: bias {bias.Shape} does not match weight {weight.Shape} (expected [{weight.Shape[biasAxis]}]).");
        if (stride < 1 || padding < 0)
            throw new ArgumentException($"{op}: stride {stride} must be >= 1 and padding {padding} >= 0 (input {x.Shape}, weight {weight.Shape}).");
    }

    /// <summary>
    /// Conv2d without argument checks. The DCGAN convolution (4x4, stride 2, padding 1) with 16+ channels each side by
    /// Winograd (<see cref="WinogradConv"/>); otherwise with 32 or more output channels and more than 64 taps, a few images
    /// at a time (see <see cref="ConvKernel"/>); otherwise image by image, y_b = W im2col(x_b) (see <see cref="PerImageConv"/>).
    /// </summary>
    internal static unsafe Tensor Conv2dCore(Tensor x, Tensor weight, Tensor? bias, int stride, int padding,
        Activation activation = Activation.Identity, float slope = 0f)
    {
        bool rectify = activation != Activation.Identity;
        var xc = x.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = wc.Shape[0], kh = wc.Shape[2], kw = wc.Shape[3];
        int outH = ConvOutputSize(h, kh, stride, padding), outW = ConvOutputSize(w, kw, stride, padding);

        var y = Allocate(new Shape(n, o, outH, outW), zero: false);
        var biasSpan = bc == null ? default : bc.Span;
        if (WinogradConv.Applies(c, o, kh, kw, stride, padding, h, w))
        {
            fixed (float* px = xc.Span, pw = wc.Span, pb = biasSpan, py = y.Span)
                WinogradConv.Forward(px, n, c, h, w, pw, o, bc == null ? null : pb, py, rectify, slope);
        }
        else if (ConvKernel.Applies(o) && !PerImageConv.MultipliesDirectly(c * kh * kw, outH * outW))
        {
            ConvKernel.Run(xc.Span, n, c, h, w, wc.Span, o, kh, kw, stride, padding, outH, outW, biasSpan, y.Span, rectify, slope);
        }
        else
        {
            fixed (float* px = xc.Span, pw = wc.Span, pb = biasSpan, py = y.Span)
                PerImageConv.Forward(px, n, c, h, w, pw, o, kh, kw, stride, padding, outH, outW, bc == null ? null : pb, py, rectify, slope);
        }
        y._i0 = stride;
        y._i1 = padding;
        y._i2 = (int)activation;
        y._f0 = slope;
        return Record(y, OpCode.Conv2d, xc, wc, bc);
    }

    /// <summary>
    /// ConvTranspose2d to an explicit output size. The DCGAN shape (4x4, stride 2, padding 1, output twice the input) with
    /// 16+ channels each side by Winograd, as the adjoint of its convolution (<see cref="WinogradConv"/>); otherwise with 8
    /// or more output channels, a few images at a time (see <see cref="ConvTransposeKernel"/>); with fewer, whose
    /// accumulation cannot fill a vector, one GEMM per image, columns = W^T x_b, folded onto its output (see <see cref="PerImageConv"/>).
    /// </summary>
    internal static unsafe Tensor ConvTranspose2dCore(Tensor x, Tensor weight, Tensor? bias, int stride, int padding, int outH, int outW)
    {
        var xc = x.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = wc.Shape[1], kh = wc.Shape[2], kw = wc.Shape[3];

        var y = Allocate(new Shape(n, o, outH, outW), zero: false);
        if (outH == 2 * h && outW == 2 * w && WinogradConv.Applies(o, c, kh, kw, stride, padding, outH, outW))
        {
            fixed (float* px = xc.Span, pw = wc.Span, pb = bc == null ? default : bc.Span, py = y.Span)
                WinogradConv.Transposed(px, n, c, outH, outW, pw, o, bc == null ? null : pb, py);
        }
        else if (ConvTransposeKernel.Applies(o))
        {
            ConvTransposeKernel.Run(xc.Span, n, c, h, w, wc.Span, o, kh, kw, stride, padding, outH, outW, bc == null ? default : bc.Span, y.Span);
        }
        else
        {
            fixed (float* px = xc.Span, pw = wc.Span, pb = bc == null ? default : bc.Span, py = y.Span)
                PerImageConv.Transposed(px, n, c, h, w, pw, o, kh, kw, stride, padding, outH, outW, bc == null ? null : pb, py);
        }
        y._i0 = stride;
        y._i1 = padding;
        return Record(y, OpCode.ConvTranspose2d, xc, wc, bc);
    }

    /// <summary>
    /// d conv2d(x, W) / d W contracted with <paramref name="gradOutput"/> [N, O, outH, outW]: the [O, C, kh, kw]
    /// sum over the batch of gradOutput times im2col(x)^T. An op of its own so that it can be differentiated again.
    /// The DCGAN shape with 16+ channels each side goes to <see cref="WinogradConv"/>; other 4x4 kernels with 8+ input
    /// channels to <see cref="ConvWeightGradKernel"/>; the rest to <see cref="PerImageConv"/>, one GEMM per image. Each
    /// way: the same sums, in the same order, whatever the thread count.
    /// </summary>
    internal static unsafe Tensor Conv2dWeightGrad(Tensor x, Tensor gradOutput, int kh, int kw, int stride, int padding)
    {
        var xc = x.Contiguous();
        var gc = gradOutput.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = gc.Shape[1], outH = gc.Shape[2], outW = gc.Shape[3];

        var dw = Allocate(new Shape(o, c, kh, kw), zero: (long)n * outH * outW == 0);
        if (outH * 2 == h && outW * 2 == w && WinogradConv.Applies(c, o, kh, kw, stride, padding, h, w))
        {
            fixed (float* px = xc.Span, pg = gc.Span, pdw = dw.Span)
                WinogradConv.WeightGrad(px, n, c, h, w, pg, o, pdw);
        }
        else if (Im2Col.PacksPatches(c, kh, kw))
        {
            ConvWeightGradKernel.Run(xc.Span, n, c, h, w, gc.Span, o, stride, padding, outH, outW, dw.Span);
        }
        else
        {
            fixed (float* px = xc.Span, pg = gc.Span, pdw = dw.Span)
                PerImageConv.WeightGrad(px, n, c, h, w, pg, o, kh, kw, stride, padding, outH, outW, pdw);
        }
        dw._i0 = stride;
        dw._i1 = padding;
        return Record(dw, OpCode.Conv2dWeightGrad, xc, gc);
    }

    /// <summary>Sums a [N, C, H, W] gradient to the [C] gradient of a per-channel bias (differentiable).</summary>
    internal Tensor SumToChannels() => SumTo(new Shape(1, Shape[1], 1, 1)).Reshape(Shape[1]);
}
