using GanSharp.Autograd;
using GanSharp.Kernels;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;

namespace GanSharp.Tests.Autograd;

/// <summary>
/// Gradients of gradients (createGraph), checked by finite differences of the first-order
/// gradient. These are the ops a gradient penalty (WGAN-GP, R1) differentiates through.
/// </summary>
public class SecondOrderTests
{
    private static readonly Rng R = new(77);

    [Fact]
    public void Smooth_unary_ops()
    {
        var x = Leaf(R, -1.5f, 1.5f, 3, 4);
        var pos = Leaf(R, 0.5f, 2f, 3, 4);
        CheckSecondOrder(t => WeightedSum(t[0].Sigmoid()), x);
        CheckSecondOrder(t => WeightedSum(t[0].Tanh()), x);
        CheckSecondOrder(t => WeightedSum(t[0].Softplus()), x);
        CheckSecondOrder(t => WeightedSum(t[0].Exp()), x);
        CheckSecondOrder(t => WeightedSum(t[0].Pow(3f)), x);
        CheckSecondOrder(t => WeightedSum(t[0].Sqrt()), pos);
        CheckSecondOrder(t => WeightedSum(t[0].Log()), pos);
        CheckSecondOrder(t => WeightedSum(1f / t[0]), pos);
    }

    [Fact]
    public void Products_and_reductions()
    {
        var x = Leaf(R, -1, 1, 3, 4);
        var y = Leaf(R, 0.5f, 1.5f, 4);
        CheckSecondOrder(t => WeightedSum(t[0] * t[0] * t[1]), x, y);
        CheckSecondOrder(t => WeightedSum(t[0] / t[1]), x, y);
        CheckSecondOrder(t => t[0].Square().Sum(1).Sqrt().Sum(), x);
        CheckSecondOrder(t => (t[0] * t[1]).Mean(0).Square().Sum(), x, y);
    }

    [Fact]
    public void Matmul_and_fused_linear_layers()
    {
        var x = Leaf(R, -1, 1, 3, 4);
        var w1 = Leaf(R, -1, 1, 5, 4);
        var b1 = Leaf(R, -1, 1, 5);
        var w2 = Leaf(R, -1, 1, 1, 5);
        CheckSecondOrder(t => WeightedSum(t[0].MatMul(t[1].T()).Tanh()), x, w1);
        CheckSecondOrder(t => WeightedSum(Tensor.Linear(Tensor.Linear(t[0], t[1], t[2], Activation.Sigmoid), t[3], null, Activation.Tanh)), x, w1, b1, w2);
    }

    [Fact]
    public void Gradient_penalty_through_a_leaky_relu_critic()
    {
        // The WGAN-GP term (||grad_x D(x)||_2 - 1)^2 for each sample, differentiated w.r.t. the
        // critic's weights, as the penalty's own backward pass does it.
        var x = Leaf(R, -1, 1, 4, 3);
        var w1 = Leaf(R, -1, 1, 6, 3);
        var b1 = Leaf(R, -0.2f, 0.2f, 6);
        var w2 = Leaf(R, -1, 1, 1, 6);

        Tensor Penalty()
        {
            var d = Tensor.Linear(Tensor.Linear(x, w1, b1, Activation.LeakyRelu, 0.2f), w2, null);
            var g = GradEngine.Grad(d.Sum(), x, createGraph: true);
            return (g.Square().Sum(1).Sqrt() - 1f).Square().Mean();
        }

        // b1 only moves the (constant) relu mask, so its gradient is zero: no path reaches it.
        CheckParameters(Penalty, [w1, b1, w2]);
    }

    [Fact]
    public void Maxout_and_concat_and_slice()
    {
        var x = Leaf(R, -1, 1, 2, 6);
        CheckSecondOrder(t => WeightedSum(t[0].GroupMax(3).Square()), x);
        CheckSecondOrder(t => WeightedSum(Tensor.Concat(t[0].Square(), t[0].Slice(1, 2, 3).Tanh(), 1)), x);
    }

    [Fact]
    public void Grad_without_createGraph_is_not_recorded_and_leaves_grads_alone()
    {
        var x = Leaf(R, -1, 1, 2, 3);
        var w = Leaf(R, -1, 1, 3, 3);
        var y = x.MatMul(w).Tanh().Sum();
        var g = GradEngine.Grad(y, x);
        Assert.False(g.RequiresGrad);
        Assert.Null(w.Grad);
        Assert.Null(x.Grad);
    }
}
