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
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        CheckConvArguments("conv2d", x, weight, bias, stride, padding, weightChannelAxis: 1, biasAxis: 0);
        int kh = weight.Shape[2], kw = weight.Shape[3];
        if (x.Shape[2] + 2 * padding < kh || x.Shape[3] + 2 * padding < kw)
            throw new ArgumentException($"conv2d: kernel {kh}x{kw} of weight {weight.Shape} is larger than input {x.Shape} padded by {padding}.");
        return Conv2dCore(x, weight, bias, stride, padding);
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
    /// Conv2d without argument checks. With 32 or more output channels, a few images at a time (see
    /// <see cref="ConvKernel"/>); with fewer, one GEMM over the whole batch's columns, y = W im2col(x),
    /// whose [O, positions] product is moved to [N, O, ...].
    /// </summary>
    internal static Tensor Conv2dCore(Tensor x, Tensor weight, Tensor? bias, int stride, int padding)
    {
        var xc = x.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = wc.Shape[0], kh = wc.Shape[2], kw = wc.Shape[3];
        int outH = ConvOutputSize(h, kh, stride, padding), outW = ConvOutputSize(w, kw, stride, padding);
        int taps = c * kh * kw, plane = outH * outW, positions = n * plane;

        var y = Allocate(new Shape(n, o, outH, outW), zero: false);
        var biasSpan = bc == null ? default : bc.Span;
        if (ConvKernel.Applies(o))
        {
            ConvKernel.Run(xc.Span, n, c, h, w, wc.Span, o, kh, kw, stride, padding, outH, outW, biasSpan, y.Span);
        }
        else
        {
            var columns = Allocate(new Shape(taps, positions), zero: false);
            Im2Col.Unfold(xc.Span, n, c, h, w, kh, kw, stride, padding, outH, outW, columns.Span);
            var product = Allocate(new Shape(o, positions), zero: false);
            Sgemm(false, false, o, positions, taps, wc.Span, taps, columns.Span, positions, 0f, product.Span, positions);
            Im2Col.SwapLeadingAxes(product.Span, o, n, plane, y.Span, biasSpan);
            TensorScope.Recycle(product);
            TensorScope.Recycle(columns);
        }
        y._i0 = stride;
        y._i1 = padding;
        return Record(y, OpCode.Conv2d, xc, wc, bc);
    }

    /// <summary>
    /// ConvTranspose2d to an explicit output size. With 8 or more output channels, a few images at a time
    /// (see <see cref="ConvTransposeKernel"/>); with fewer, whose accumulation cannot fill a vector, through
    /// the column matrix of the whole batch: columns = W^T x (batch moved to columns), folded onto the output.
    /// </summary>
    internal static Tensor ConvTranspose2dCore(Tensor x, Tensor weight, Tensor? bias, int stride, int padding, int outH, int outW)
    {
        var xc = x.Contiguous();
        var wc = weight.Contiguous();
        var bc = bias?.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = wc.Shape[1], kh = wc.Shape[2], kw = wc.Shape[3];

        var y = Allocate(new Shape(n, o, outH, outW), zero: false);
        if (ConvTransposeKernel.Applies(o))
        {
            ConvTransposeKernel.Run(xc.Span, n, c, h, w, wc.Span, o, kh, kw, stride, padding, outH, outW, bc == null ? default : bc.Span, y.Span);
        }
        else
        {
            int taps = o * kh * kw, plane = h * w, positions = n * plane;
            var channelMajor = Allocate(new Shape(c, positions), zero: false);
            Im2Col.SwapLeadingAxes(xc.Span, n, c, plane, channelMajor.Span);
            var columns = Allocate(new Shape(taps, positions), zero: false);
            Sgemm(true, false, taps, positions, c, wc.Span, taps, channelMajor.Span, positions, 0f, columns.Span, positions);
            Im2Col.Fold(columns.Span, n, o, outH, outW, kh, kw, stride, padding, h, w, y.Span);
            TensorScope.Recycle(columns);
            TensorScope.Recycle(channelMajor);
            if (bc != null) Im2Col.AddChannelBias(y.Span, n, o, outH * outW, bc.Span);
        }
        y._i0 = stride;
        y._i1 = padding;
        return Record(y, OpCode.ConvTranspose2d, xc, wc, bc);
    }

    /// <summary>
    /// d conv2d(x, W) / d W contracted with <paramref name="gradOutput"/> [N, O, outH, outW]: the [O, C, kh, kw]
    /// sum over the batch of gradOutput times im2col(x)^T. An op of its own so that it can be differentiated again.
    /// 4x4 kernels (every DCGAN layer) go to <see cref="ConvWeightGradKernel"/>; otherwise the batch is unfolded a chunk
    /// of images at a time (about 1 MB of columns, which stay in L2), each chunk's product added to the last. Either
    /// way: the same sums, in the same order, whatever the thread count.
    /// </summary>
    internal static Tensor Conv2dWeightGrad(Tensor x, Tensor gradOutput, int kh, int kw, int stride, int padding)
    {
        var xc = x.Contiguous();
        var gc = gradOutput.Contiguous();
        int n = xc.Shape[0], c = xc.Shape[1], h = xc.Shape[2], w = xc.Shape[3];
        int o = gc.Shape[1], outH = gc.Shape[2], outW = gc.Shape[3];
        int taps = c * kh * kw, plane = outH * outW, positions = n * plane;

        var dw = Allocate(new Shape(o, c, kh, kw), zero: positions == 0);
        if (Im2Col.PacksPatches(c, kh, kw))
        {
            ConvWeightGradKernel.Run(xc.Span, n, c, h, w, gc.Span, o, stride, padding, outH, outW, dw.Span);
        }
        else if (positions > 0)
        {
            var channelMajor = Allocate(new Shape(o, positions), zero: false);
            Im2Col.SwapLeadingAxes(gc.Span, n, o, plane, channelMajor.Span);
            int images = Math.Clamp(WeightGradColumns / Math.Max(1, taps * plane), 1, Math.Max(1, n));
            var columns = Allocate(new Shape(taps, images * plane), zero: false);
            for (int b0 = 0; b0 < n; b0 += images)
            {
                int chunk = Math.Min(images, n - b0), chunkPositions = chunk * plane;
                Im2Col.Unfold(xc.Span[(b0 * c * h * w)..], chunk, c, h, w, kh, kw, stride, padding, outH, outW, columns.Span);
                Sgemm(false, true, o, taps, chunkPositions, channelMajor.Span[(b0 * plane)..], positions, columns.Span, chunkPositions,
                    b0 == 0 ? 0f : 1f, dw.Span, taps);
            }
            TensorScope.Recycle(columns);
            TensorScope.Recycle(channelMajor);
        }
        dw._i0 = stride;
        dw._i1 = padding;
        return Record(dw, OpCode.Conv2dWeightGrad, xc, gc);
    }

    /// <summary>Floats of columns the weight gradient unfolds at a time (1 MB).</summary>
    private const int WeightGradColumns = 1 << 18;

    /// <summary>Sums a [N, C, H, W] gradient to the [C] gradient of a per-channel bias (differentiable).</summary>
    internal Tensor SumToChannels() => SumTo(new Shape(1, Shape[1], 1, 1)).Reshape(Shape[1]);

    /// <summary>C = op(A) op(B) + beta C on dense row-major spans.</summary>
    private static unsafe void Sgemm(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
            Gemm.Sgemm(transA, transB, m, n, k, 1f, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
