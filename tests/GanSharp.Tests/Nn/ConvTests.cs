using GanSharp.Autograd;
using GanSharp.Nn;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;
using static GanSharp.Tests.Nn.FusionCheck;

namespace GanSharp.Tests.Nn;

/// <summary>Conv2d and ConvTranspose2d against direct loops, finite differences, and each other.</summary>
[Collection("ComputeThreads")]
public class ConvTests
{
    private static readonly Rng R = new(2024);

    /// <summary>y[n, o, oy, ox] = b[o] + sum over c, i, j of w[o, c, i, j] x[n, c, oy s - p + i, ox s - p + j] (zero outside).</summary>
    private static float[] DirectConv(Tensor x, Tensor w, Tensor? b, int s, int p)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1;
        var y = new float[n * o * oh * ow];
        for (int bn = 0; bn < n; bn++)
            for (int oc = 0; oc < o; oc++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = b?.At(oc) ?? 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int iy = yy * s - p + i, ix = xx * s - p + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) sum += w.At(oc, ic, i, j) * x.At(bn, ic, iy, ix);
                                }
                        y[((bn * o + oc) * oh + yy) * ow + xx] = (float)sum;
                    }
        return y;
    }

    /// <summary>Each input pixel scatters w[c, o, i, j] x[n, c, iy, ix] to output (iy s - p + i, ix s - p + j).</summary>
    private static float[] DirectConvTranspose(Tensor x, Tensor w, Tensor? b, int s, int p, int op)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h - 1) * s - 2 * p + kh + op, ow = (wd - 1) * s - 2 * p + kw + op;
        var y = new double[n * o * oh * ow];
        for (int bn = 0; bn < n; bn++)
            for (int oc = 0; oc < o; oc++)
            {
                for (int k = 0; k < oh * ow; k++) y[(bn * o + oc) * oh * ow + k] = b?.At(oc) ?? 0;
                for (int ic = 0; ic < c; ic++)
                    for (int iy = 0; iy < h; iy++)
                        for (int ix = 0; ix < wd; ix++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int yy = iy * s - p + i, xx = ix * s - p + j;
                                    if (yy >= 0 && yy < oh && xx >= 0 && xx < ow)
                                        y[((bn * o + oc) * oh + yy) * ow + xx] += w.At(ic, oc, i, j) * x.At(bn, ic, iy, ix);
                                }
            }
        return y.Select(v => (float)v).ToArray();
    }

    private static void AssertAllClose(float[] expected, float[] actual, float tol = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    // (batch, in channels, height, width, out channels, kernel h, kernel w, stride, padding)
    public static TheoryData<int, int, int, int, int, int, int, int, int> ConvCases => new()
    {
        { 2, 3, 5, 5, 4, 3, 3, 1, 0 },
        { 2, 3, 5, 5, 4, 3, 3, 1, 1 },
        { 1, 2, 7, 6, 3, 3, 3, 2, 0 },
        { 3, 2, 7, 5, 2, 4, 4, 2, 1 },
        { 2, 1, 6, 7, 2, 3, 2, 3, 2 },
        { 1, 2, 4, 4, 3, 1, 1, 1, 0 },
        // Grids of 8 or more outputs per row take the vector paths (strides 1 and 2), with a partial last vector.
        { 2, 2, 28, 28, 3, 4, 4, 2, 1 },
        { 3, 1, 19, 21, 2, 3, 3, 1, 1 },
        { 2, 2, 33, 35, 2, 3, 5, 2, 2 },
        // More images than PerImageConv's 16 groups: groups of one and two images.
        { 19, 2, 6, 6, 3, 4, 4, 2, 1 },
        // 32 or more output channels and more than 64 taps take the chunked kernel (ConvKernel).
        { 5, 5, 9, 8, 32, 4, 4, 2, 1 },
        // Few taps and planes of 16+ positions: each image's columns multiplied directly, 4 channels at a time and one more.
        { 5, 3, 9, 8, 33, 4, 4, 2, 1 },
        { 2, 1, 16, 16, 5, 3, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_matches_a_direct_convolution(int n, int c, int h, int w, int o, int kh, int kw, int s, int p)
    {
        var x = Tensor.Uniform(new Shape(n, c, h, w), -1, 1, R);
        var weight = Tensor.Uniform(new Shape(o, c, kh, kw), -1, 1, R);
        var bias = Tensor.Uniform(new Shape(o), -1, 1, R);
        var y = Tensor.Conv2d(x, weight, bias, s, p);
        Assert.Equal(new Shape(n, o, (h + 2 * p - kh) / s + 1, (w + 2 * p - kw) / s + 1), y.Shape);
        AssertAllClose(DirectConv(x, weight, bias, s, p), y.ToArray());
        AssertAllClose(DirectConv(x, weight, null, s, p), Tensor.Conv2d(x, weight, null, s, p).ToArray());
    }

    // (batch, in channels, height, width, out channels, kernel, stride, padding, output padding)
    public static TheoryData<int, int, int, int, int, int, int, int, int> TransposeCases => new()
    {
        { 2, 3, 3, 3, 2, 3, 1, 0, 0 },
        { 2, 3, 4, 3, 2, 3, 1, 1, 0 },
        { 1, 2, 3, 4, 3, 4, 2, 1, 0 },
        { 2, 2, 3, 3, 2, 3, 2, 1, 1 },
        { 1, 3, 2, 3, 2, 3, 3, 0, 2 },
        { 2, 1, 5, 5, 1, 4, 2, 1, 0 },
        { 2, 3, 14, 14, 1, 4, 2, 1, 0 },
        { 3, 2, 9, 17, 2, 3, 1, 1, 0 },
        { 19, 3, 5, 5, 1, 4, 2, 1, 0 }, // more images than PerImageConv's 16 groups
        // 8 or more output channels take the chunked kernel (ConvTransposeKernel).
        { 5, 3, 7, 7, 16, 4, 2, 1, 0 },
        { 2, 3, 3, 4, 9, 3, 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void ConvTranspose2d_matches_a_direct_scatter_and_the_output_size_formula(int n, int c, int h, int w, int o, int k, int s, int p, int op)
    {
        var x = Tensor.Uniform(new Shape(n, c, h, w), -1, 1, R);
        var weight = Tensor.Uniform(new Shape(c, o, k, k), -1, 1, R);
        var bias = Tensor.Uniform(new Shape(o), -1, 1, R);
        var y = Tensor.ConvTranspose2d(x, weight, bias, s, p, op);
        Assert.Equal(new Shape(n, o, (h - 1) * s - 2 * p + k + op, (w - 1) * s - 2 * p + k + op), y.Shape);
        AssertAllClose(DirectConvTranspose(x, weight, bias, s, p, op), y.ToArray());
        var module = new ConvTranspose2d(c, o, k, s, p, op);
        Assert.Equal(y.Shape[2], module.OutputSize(h));
    }

    [Fact]
    public void ConvTranspose2d_is_the_adjoint_of_Conv2d()
    {
        // <conv(x), y> = <x, conv_transpose(y)> for the same weight, with the output padding that restores x's size.
        var x = Tensor.Uniform(new Shape(2, 3, 8, 7), -1, 1, R);
        var weight = Tensor.Uniform(new Shape(4, 3, 3, 3), -1, 1, R);
        var cx = Tensor.Conv2d(x, weight, null, 2, 1);
        var y = Tensor.Uniform(cx.Shape, -1, 1, R);
        var ty = Tensor.ConvTranspose2d(y, weight, null, 2, 1, outputPadding: 1);
        Assert.Equal(new Shape(2, 3, 8, 8), ty.Shape);
        float lhs = (cx * y).Sum().Item();
        float rhs = (x * ty.Slice(3, 0, 7)).Sum().Item();
        Assert.Equal(lhs, rhs, 3);
    }

    public static TheoryData<int, int, int> GradientCases => new()
    {
        // stride, padding, output padding (for the transposed conv)
        { 1, 0, 0 }, { 1, 1, 0 }, { 2, 0, 1 }, { 2, 1, 0 }, { 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Conv2d_gradients_match_finite_differences(int s, int p, int _)
    {
        // Float32 central differences of a sum of n outputs carry rounding noise ~ sqrt(n) ulp / eps, so these
        // checks keep the outputs few (under ~100) and of size ~0.5; exactness is checked against direct loops above.
        // One image: 90 outputs at most (two gave 180, whose rounding noise reached the tolerance for some inputs).
        var x = Leaf(R, -0.5f, 0.5f, 1, 2, 5, 6);
        var w = Leaf(R, -0.5f, 0.5f, 3, 2, 3, 3);
        var b = Leaf(R, -0.5f, 0.5f, 3);
        Check(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], s, p)), x, w, b);
    }

    [Theory]
    [InlineData(7, 64, 14, 8, 4, 2, 1)]  // 1024 taps x 49 positions per image: chunks of 5 and 2 images; 8 outputs: a 2-row panel
    [InlineData(3, 9, 6, 13, 4, 1, 2)]   // 9 channels: the threads take 4 and 5 (a lone strip); stride 1, padding 2
    [InlineData(4, 3, 7, 5, 3, 2, 1)]    // a 3x3 kernel: one GEMM per group of images (PerImageConv)
    [InlineData(37, 1, 10, 6, 4, 2, 1)]  // one channel (a DCGAN's first layer): 16 groups of 2 or 3 images summed in order
    [InlineData(1, 2, 5, 3, 3, 1, 0)]    // a single image: one group
    public void Weight_gradient_chunk_by_chunk_matches_a_direct_sum_for_any_thread_count(int n, int c, int size, int o, int k, int s, int p)
    {
        int outSize = (size + 2 * p - k) / s + 1;
        var x = Tensor.Uniform(new Shape(n, c, size, size), -1, 1, R);
        var g = Tensor.Uniform(new Shape(n, o, outSize, outSize), -1, 1, R);
        float[] one = ThreadCount.With(1, () => Tensor.Conv2dWeightGrad(x, g, k, k, s, p).ToArray());
        float[] two = ThreadCount.With(2, () => Tensor.Conv2dWeightGrad(x, g, k, k, s, p).ToArray());
        Assert.Equal(one, two);
        var expected = new float[o * c * k * k];
        for (int oc = 0; oc < o; oc++)
            for (int ic = 0; ic < c; ic++)
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                    {
                        double sum = 0;
                        for (int b = 0; b < n; b++)
                            for (int oy = 0; oy < outSize; oy++)
                                for (int ox = 0; ox < outSize; ox++)
                                {
                                    int iy = oy * s - p + i, ix = ox * s - p + j;
                                    if (iy >= 0 && iy < size && ix >= 0 && ix < size) sum += (double)g.At(b, oc, oy, ox) * x.At(b, ic, iy, ix);
                                }
                        expected[((oc * c + ic) * k + i) * k + j] = (float)sum;
                    }
        AssertAllClose(expected, one);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_4x4_weight_gradient_kernel_also_handles_fewer_channels_than_it_is_used_for(int c)
    {
        // Conv2dWeightGrad sends fewer than 8 channels down the column path; the kernel itself must still be right.
        var x = Tensor.Uniform(new Shape(5, c, 9, 9), -1, 1, R);
        var g = Tensor.Uniform(new Shape(5, 7, 4, 4), -1, 1, R);
        var dw = new float[7 * c * 16];
        GanSharp.Kernels.ConvWeightGradKernel.Run(x.Span, 5, c, 9, 9, g.Span, 7, 2, 1, 4, 4, dw);
        AssertAllClose(Tensor.Conv2dWeightGrad(x, g, 4, 4, 2, 1).ToArray(), dw);
    }

    [Fact]
    public void Conv2d_gradients_with_8_inputs_and_32_outputs_match_finite_differences()
    {
        // The chunked kernels' paths: the forward has 32 output channels (ConvKernel), the input gradient
        // is a transposed conv to 8 channels (ConvTransposeKernel). A 1x1 output keeps the outputs few.
        var x = Leaf(R, -0.5f, 0.5f, 1, 8, 3, 3);
        var w = Leaf(R, -0.5f, 0.5f, 32, 8, 3, 3);
        var b = Leaf(R, -0.5f, 0.5f, 32);
        Check(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], 1, 0)), x, w, b);
    }

    [Fact]
    public void Winograd_conv_gradients_match_finite_differences()
    {
        // 16 -> 16 channels, 4x4 kernel, stride 2, padding 1: the forward, its input gradient (a transposed conv) and its
        // weight gradient all take WinogradConv. A 2x2 output keeps the outputs few (64).
        Assert.True(GanSharp.Kernels.WinogradConv.Applies(16, 16, 4, 4, 2, 1, 4, 4));
        var x = Leaf(R, -0.5f, 0.5f, 1, 16, 4, 4);
        var w = Leaf(R, -0.5f, 0.5f, 16, 16, 4, 4);
        var b = Leaf(R, -0.5f, 0.5f, 16);
        Check(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], 2, 1)), x, w, b);
    }

    [Fact]
    public void Winograd_transposed_conv_gradients_match_finite_differences()
    {
        // 16 -> 16 channels from 1x1 to 2x2: WinogradConv.Transposed forward, Forward for the input gradient, WeightGrad for the weight's.
        var x = Leaf(R, -0.5f, 0.5f, 1, 16, 1, 1);
        var w = Leaf(R, -0.5f, 0.5f, 16, 16, 4, 4);
        var b = Leaf(R, -0.5f, 0.5f, 16);
        Check(t => WeightedSum(Tensor.ConvTranspose2d(t[0], t[1], t[2], 2, 1)), x, w, b);
    }

    [Fact]
    public void Winograd_and_GEMM_convolutions_agree_closely_on_a_DCGAN_layer()
    {
        // The same layer both ways (WinogradConv.Disabled routes to the im2col GEMM kernels): values and gradients within
        // float32 rounding of each other, relative to their scale.
        var x = Tensor.Uniform(new Shape(4, 32, 14, 14), -1, 1, R);
        var w = Tensor.Uniform(new Shape(64, 32, 4, 4), -0.1f, 0.1f, R);
        var g = Tensor.Uniform(new Shape(4, 64, 7, 7), -1, 1, R);
        float[][] Run()
        {
            var y = Tensor.Conv2d(x, w, null, 2, 1);
            var dx = Tensor.ConvTranspose2d(g, w, null, 2, 1);
            var dw = Tensor.Conv2dWeightGrad(x, g, 4, 4, 2, 1);
            return [y.ToArray(), dx.ToArray(), dw.ToArray()];
        }
        var winograd = Run();
        GanSharp.Kernels.WinogradConv.Disabled = true;
        float[][] gemm;
        try
        {
            gemm = Run();
        }
        finally
        {
            GanSharp.Kernels.WinogradConv.Disabled = false;
        }
        for (int i = 0; i < 3; i++)
        {
            float scale = gemm[i].Max(Math.Abs);
            float error = gemm[i].Zip(winograd[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(error <= 2e-5f * scale, $"output {i}: largest difference {error} at scale {scale}");
            Assert.NotEqual(gemm[i], winograd[i]); // two different computations, not one path twice
        }
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void ConvTranspose2d_gradients_match_finite_differences(int s, int p, int op)
    {
        // One image: 64 outputs at most (two gave 128, whose rounding noise reached the tolerance for some inputs).
        var x = Leaf(R, -0.5f, 0.5f, 1, 2, 3, 3);
        var w = Leaf(R, -0.5f, 0.5f, 2, 1, 3, 3);
        var b = Leaf(R, -0.5f, 0.5f, 1);
        Check(t => WeightedSum(Tensor.ConvTranspose2d(t[0], t[1], t[2], s, p, op)), x, w, b);
    }

    [Theory]
    [InlineData(false, 2, 3)]  // PerImageConv, columns multiplied directly (32 taps), 3 channels: one past the 4-channel tiles
    [InlineData(true, 2, 8)]
    [InlineData(true, 5, 3)]   // PerImageConv, one GEMM per group (80 taps)
    [InlineData(true, 5, 32)]  // ConvKernel
    [InlineData(false, 5, 36)] // ConvKernel, 4 channels past the last 8-channel block: the element-by-element store
    public void A_rectifier_after_a_conv_runs_fused_with_the_same_values_and_gradients(bool leaky, int inChannels, int outChannels)
    {
        // Sequential fuses Conv2d + ReLU / LeakyReLU; run the same two modules one after the other as well.
        var conv = new Conv2d(inChannels, outChannels, 4, 2, 1, rng: R);
        Module rectifier = leaky ? new LeakyReLU(0.2f) : new ReLU();
        var x = Leaf(R, -1, 1, 3, inChannels, 10, 10);
        var y = AssertFusedMatchesSeparate(conv, rectifier, x, conv.Weight, conv.Bias!);
        Assert.Contains(y, v => v == 0f || (leaky && v < 0f)); // the rectifier did cut something
    }

    [Fact]
    public void Fused_conv_rectifier_gradients_match_finite_differences_to_second_order()
    {
        var x = Leaf(R, -0.5f, 0.5f, 2, 1, 6, 6);
        var w = Leaf(R, -0.5f, 0.5f, 3, 1, 4, 4);
        var b = Leaf(R, -0.5f, 0.5f, 3);
        // The tanh keeps the second derivative from vanishing; the leaky ReLU's kink is measure-zero for these inputs.
        Check(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], 2, 1, GanSharp.Kernels.Activation.LeakyRelu, 0.2f).Tanh()), x, w, b);
        CheckSecondOrder(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], 2, 1, GanSharp.Kernels.Activation.LeakyRelu, 0.2f).Tanh()), x, w, b);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, w, b, 2, 1, GanSharp.Kernels.Activation.Tanh));
        Assert.Contains("conv2d", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, w, b, 2, 1, GanSharp.Kernels.Activation.LeakyRelu, -0.1f));
    }

    [Fact]
    public void Conv_second_order_gradients_match_finite_differences()
    {
        // d/dx of a nonlinear function of the conv, differentiated again w.r.t. x, weight and bias:
        // exercises the backward rules of Conv2d, ConvTranspose2d and Conv2dWeightGrad recorded as ops.
        var x = Leaf(R, -0.5f, 0.5f, 2, 1, 4, 4);
        var w = Leaf(R, -0.5f, 0.5f, 2, 1, 3, 3);
        var b = Leaf(R, -0.5f, 0.5f, 2);
        CheckSecondOrder(t => WeightedSum(Tensor.Conv2d(t[0], t[1], t[2], 2, 1).Tanh()), x, w, b);
        var xt = Leaf(R, -0.5f, 0.5f, 2, 2, 2, 2);
        var wt = Leaf(R, -0.5f, 0.5f, 2, 2, 3, 3);
        var bt = Leaf(R, -0.5f, 0.5f, 2);
        CheckSecondOrder(t => WeightedSum(Tensor.ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1).Tanh()), xt, wt, bt);
    }

    [Fact]
    public void Conv_weight_gradient_is_itself_differentiable()
    {
        // h(x, w) = sum(v * dL/dw) with L = sum(u * tanh(conv(x, w))): the WGAN-GP pattern of differentiating
        // a gradient again, here through Conv2dWeightGrad in both of its inputs.
        var x = Leaf(R, -1, 1, 2, 2, 4, 4);
        var w = Leaf(R, -0.7f, 0.7f, 2, 2, 3, 3);
        var v = Tensor.Uniform(w.Shape, -1, 1, new Rng(3));
        Tensor H()
        {
            var loss = WeightedSum(Tensor.Conv2d(x, w, null, 2, 1).Tanh());
            return (GradEngine.Grad(loss, w, createGraph: true) * v).Sum();
        }
        CheckParameters(H, [x, w], requireGradient: true);
    }

    [Fact]
    public void Gradient_penalty_of_a_conv_critic_matches_finite_differences()
    {
        // WGAN-GP on a small conv critic: (||d D / d x||_2 - 1)^2 per sample, differentiated w.r.t. the critic's weights.
        var rng = new Rng(31);
        var critic = new Sequential(
            new Unflatten(2, 5, 5),
            new Conv2d(2, 3, 3, stride: 2, padding: 1, rng: rng), new LeakyReLU(0.2f),
            new Conv2d(3, 2, 3, stride: 1, padding: 1, rng: rng), new Tanh(),
            new Flatten(), new Linear(2 * 3 * 3, 1, rng: rng));
        var x = Tensor.Uniform(new Shape(3, 50), -1, 1, rng);
        x.RequiresGrad = true;

        Tensor Penalty()
        {
            var g = GradEngine.Grad(critic.Forward(x).Sum(), x, createGraph: true);
            return (g.Square().Sum(1).Sqrt() - 1f).Square().Mean();
        }

        // The last bias does not change d D / d x, so its gradient is zero (no path reaches it).
        CheckParameters(Penalty, critic.Parameters());
    }

    [Fact]
    public void Shape_errors_name_the_op_and_both_shapes()
    {
        var x = Tensor.Zeros(2, 3, 8, 8);
        var e = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(4, 2, 3, 3)));
        Assert.Contains("conv2d", e.Message);
        Assert.Contains("[2, 3, 8, 8]", e.Message);
        Assert.Contains("[4, 2, 3, 3]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(x, Tensor.Zeros(4, 2, 3, 3)));
        Assert.Contains("conv_transpose2d", e2.Message);
        Assert.Contains("[4, 2, 3, 3]", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Tensor.ConvTranspose2d(x, Tensor.Zeros(3, 2, 3, 3), null, 2, 1, 2));
        Assert.Contains("output padding", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(2, 3, 8), Tensor.Zeros(4, 3, 3, 3)));
        Assert.Contains("[2, 3, 8]", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), Tensor.Zeros(3)));
        Assert.Contains("bias [3]", e5.Message);
        var e6 = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(Tensor.Zeros(1, 3, 2, 2), Tensor.Zeros(4, 3, 5, 5)));
        Assert.Contains("larger than input", e6.Message);
    }

    [Fact]
    public void Modules_have_pytorch_names_layouts_and_default_init()
    {
        var conv = new Conv2d(3, 8, 4, stride: 2, padding: 1, rng: new Rng(1));
        var deconv = new ConvTranspose2d(8, 5, 4, stride: 2, padding: 1, rng: new Rng(1));
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
        Assert.Equal(new Shape(8, 3, 4, 4), conv.Weight.Shape);
        Assert.Equal(new Shape(8, 5, 4, 4), deconv.Weight.Shape);
        Assert.Equal(new Shape(5), deconv.Bias!.Shape);
        // U(+-1/sqrt(fan_in)), fan_in = weight.size(1) * k * k: 3*16 for the conv, 5*16 for the transposed conv.
        AssertBound(conv.Weight, 1 / MathF.Sqrt(48), filled: true);
        AssertBound(conv.Bias!, 1 / MathF.Sqrt(48), filled: false);
        AssertBound(deconv.Weight, 1 / MathF.Sqrt(80), filled: true);
        AssertBound(deconv.Bias, 1 / MathF.Sqrt(80), filled: false);
        Assert.Null(new Conv2d(3, 8, 3, bias: false).Bias);

        static void AssertBound(Tensor t, float bound, bool filled)
        {
            var v = t.ToArray();
            Assert.All(v, e => Assert.InRange(e, -bound, bound));
            if (filled) Assert.True(v.Max() > 0.9f * bound && v.Min() < -0.9f * bound, $"values do not fill +-{bound}");
        }
    }

    [Fact]
    public void Unflatten_and_flatten_carry_a_batch_of_rows_through_convolutions()
    {
        var net = new Sequential(new Unflatten(1, 8, 8), new Conv2d(1, 4, 4, 2, 1), new ReLU(), new ConvTranspose2d(4, 2, 4, 2, 1), new Flatten());
        var x = Tensor.Uniform(new Shape(3, 64), -1, 1, R);
        Assert.Equal(new Shape(3, 128), net.Forward(x).Shape);
        var e = Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(3, 63)));
        Assert.Contains("Unflatten(1, 8, 8)", e.Message);
    }
}
