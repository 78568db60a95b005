using GanSharp.Autograd;
using GanSharp.Kernels;
using static GanSharp.Autograd.GradEngine;

namespace GanSharp.Tensors;

// Batch normalisation (Ioffe & Szegedy 2015) over axis 1 of [N, C] or [N, C, H, W].
public partial class Tensor
{
    /// <summary>
    /// PyTorch's F.batch_norm. In training, each channel is normalised with the batch's mean and
    /// biased variance, and the running statistics (when given) move towards the batch's by
    /// <paramref name="momentum"/>, the variance unbiased by M / (M - 1) for M values per channel.
    /// In evaluation the running statistics normalise and are left alone. Weight and bias are [C] or null.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, Activation.Identity, 0f);

    /// <summary>
    /// <see cref="BatchNorm(Tensor, Tensor?, Tensor?, Tensor?, Tensor?, bool, float, float)"/> followed by a ReLU or a
    /// leaky ReLU with <paramref name="slope"/> ≥ 0 (or nothing: Identity), fused: in training one pass normalises
    /// and rectifies, and the backward pass applies the rectifier's step inside batch norm's own (Sequential uses this).
    /// </summary>
    internal static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps, Activation activation, float slope)
    {
        if (activation is not (Activation.Identity or Activation.Relu or Activation.LeakyRelu) || slope < 0f)
            throw new ArgumentException($"batch_norm: only a ReLU or a leaky ReLU with slope >= 0 fuses with it, not {activation} ({slope}).");
        if (activation == Activation.Relu) slope = 0f;
        if (x.Rank != 2 && x.Rank != 4)
            throw new ArgumentException($"batch_norm: input {x.Shape} is not [N, C] or [N, C, H, W].");
        CheckChannelVector("weight", weight, x);
        CheckChannelVector("bias", bias, x);
        CheckChannelVector("running_mean", runningMean, x);
        CheckChannelVector("running_var", runningVar, x);
        if (!training)
        {
            if (runningMean == null || runningVar == null)
                throw new ArgumentException($"batch_norm: evaluation mode needs running_mean and running_var (input {x.Shape}).");
            var affine = BatchNormWithRunningStatistics(x, runningMean, runningVar, weight, bias, eps);
            return activation switch
            {
                Activation.Relu => affine.Relu(),
                Activation.LeakyRelu => affine.LeakyRelu(slope),
                _ => affine,
            };
        }

        int n = x.Shape[0], c = x.Shape[1], inner = x.Rank == 4 ? x.Shape[2] * x.Shape[3] : 1;
        long count = (long)n * inner;
        if (count <= 1)
            throw new ArgumentException($"batch_norm: training needs more than one value per channel; input is {x.Shape}.");
        var xc = x.Contiguous();
        var wc = weight?.Contiguous();
        var bc = bias?.Contiguous();
        // Rows: the batch mean and 1/sqrt(var + eps), which the backward rule reads from Aux, and the biased variance.
        var stats = Allocate(new Shape(3, c), zero: false);
        var mean = stats.Span[..c];
        var invStd = stats.Span.Slice(c, c);
        var variance = stats.Span.Slice(2 * c, c);
        BatchNormKernels.Statistics(xc.Span, n, c, inner, mean, variance);
        for (int i = 0; i < c; i++) invStd[i] = 1f / MathF.Sqrt(variance[i] + eps);

        var y = Allocate(xc.Shape, zero: false);
        BatchNormKernels.Normalize(xc.Span, n, c, inner, mean, invStd, wc == null ? default : wc.Span, bc == null ? default : bc.Span, y.Span,
            activation != Activation.Identity, slope);

        if (runningMean != null)
        {
            var rm = runningMean.Span;
            for (int i = 0; i < c; i++) rm[i] = (1f - momentum) * rm[i] + momentum * mean[i];
        }
        if (runningVar != null)
        {
            var rv = runningVar.Span;
            float unbias = (float)count / (count - 1);
            for (int i = 0; i < c; i++) rv[i] = (1f - momentum) * rv[i] + momentum * variance[i] * unbias;
        }
        y._aux = stats;
        y._f0 = eps;
        y._i0 = (int)activation;
        y._i1 = BitConverter.SingleToInt32Bits(slope); // the node's one float field holds eps
        return Record(y, OpCode.BatchNorm, xc, wc, bc);
    }

    private static void CheckChannelVector(string what, Tensor? t, Tensor x)
    {
        if (t != null && (t.Rank != 1 || t.Shape[0] != x.Shape[1]))
            throw new ArgumentException($"batch_norm: {what} {t.Shape} does not match the {x.Shape[1]} channels of input {x.Shape} (expected [{x.Shape[1]}]).");
    }

    /// <summary>Evaluation mode: a per-channel affine map with constant statistics, differentiable in x, weight and bias.</summary>
    private static Tensor BatchNormWithRunningStatistics(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, float eps)
    {
        int c = x.Shape[1];
        var invStd = Allocate(new Shape(c), zero: false);
        var rv = runningVar.Span;
        for (int i = 0; i < c; i++) invStd.Span[i] = 1f / MathF.Sqrt(rv[i] + eps);
        var scale = weight == null ? invStd : weight * invStd;
        var shift = bias == null ? (runningMean * scale).Neg() : bias - runningMean * scale;
        var s = ChannelStatisticsShape(x.Shape);
        return x * scale.Reshape(s) + shift.Reshape(s);
    }

    /// <summary>[1, C] or [1, C, 1, 1]: the shape per-channel statistics broadcast from.</summary>
    private static Shape ChannelStatisticsShape(in Shape x) => x.Rank == 2 ? new Shape(1, x[1]) : new Shape(1, x[1], 1, 1);

    /// <summary>
    /// The backward rule of <see cref="OpCode.BatchNorm"/>. A first-order pass (nothing recorded)
    /// runs one fused kernel over the saved statistics. When the gradient is itself recorded
    /// (createGraph), the same formula is written with differentiable ops, recomputing the
    /// statistics from x so that their dependence on x is differentiated too.
    /// </summary>
    internal static void BatchNormBackward(Tensor t, Tensor g)
    {
        Tensor x = t._in0!;
        Tensor? weight = t._in1, bias = t._in2;
        bool needX = x._needed, needW = weight is { _needed: true }, needB = bias is { _needed: true };
        int n = x.Shape[0], c = x.Shape[1], inner = x.Rank == 4 ? x.Shape[2] * x.Shape[3] : 1;
        bool rectified = (Activation)t._i0 != Activation.Identity;
        float slope = BitConverter.Int32BitsToSingle(t._i1);

        if (!GradMode.IsEnabled)
        {
            var gc = g.Contiguous();
            var stats = t._aux!.Span;
            var dx = needX ? Allocate(x.Shape, zero: false) : null;
            var dw = needW ? Allocate(new Shape(c), zero: false) : null;
            var db = needB ? Allocate(new Shape(c), zero: false) : null;
            BatchNormKernels.Backward(gc.Span, x.Span, n, c, inner, stats[..c], stats.Slice(c, c), weight == null ? default : weight.Span,
                dx == null ? default : dx.Span, dw == null ? default : dw.Span, db == null ? default : db.Span,
                rectified ? t.Span : default, slope);
            Accumulate(x, dx);
            Accumulate(weight, dw);
            Accumulate(bias, db);
            return;
        }

        if (rectified) g = Masks.StepProduct(g, t, slope); // recorded: the rectifier's own backward, differentiable in g
        var s = ChannelStatisticsShape(x.Shape);
        float invCount = 1f / (n * inner);
        var centered = x - x.SumTo(s).MulScalar(invCount);
        var invStd = (centered * centered).SumTo(s).MulScalar(invCount).AddScalar(t._f0).Pow(-0.5f);
        var xhat = centered * invStd;
        if (needB) Accumulate(bias, g.SumTo(s).Reshape(c));
        if (needW) Accumulate(weight, (g * xhat).SumTo(s).Reshape(c));
        if (needX)
        {
            var gh = weight == null ? g : g * weight.Reshape(s);
            var projected = gh - gh.SumTo(s).MulScalar(invCount) - xhat * (gh * xhat).SumTo(s).MulScalar(invCount);
            Accumulate(x, projected * invStd);
        }
    }
}
