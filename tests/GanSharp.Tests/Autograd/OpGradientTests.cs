using GanSharp.Kernels;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;

namespace GanSharp.Tests.Autograd;

/// <summary>First-order finite-difference checks for every op the engine records.</summary>
public class OpGradientTests
{
    private static readonly Rng R = new(1234);

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 1, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 2, 3 }, new int[0])]
    public void Binary_ops_with_broadcasting(int[] shapeA, int[] shapeB)
    {
        var a = Leaf(R, -1, 1, shapeA);
        var b = Leaf(R, 0.5f, 1.5f, shapeB);
        Check(x => WeightedSum(x[0] + x[1]), a, b);
        Check(x => WeightedSum(x[0] - x[1]), a, b);
        Check(x => WeightedSum(x[0] * x[1]), a, b);
        Check(x => WeightedSum(x[0] / x[1]), a, b);
    }

    [Fact]
    public void Scalar_ops()
    {
        var a = Leaf(R, 0.5f, 2f, 3, 5);
        Check(x => WeightedSum(x[0] + 2.5f), a);
        Check(x => WeightedSum(x[0] * -1.5f), a);
        Check(x => WeightedSum(3f - x[0]), a);
        Check(x => WeightedSum(2f / x[0]), a);
        Check(x => WeightedSum(x[0].Pow(3f)), a);
        Check(x => WeightedSum(x[0].Pow(2f)), a);
        Check(x => WeightedSum(x[0].Pow(-0.5f)), a);
        Check(x => WeightedSum(-x[0]), a);
    }

    [Fact]
    public void Unary_ops()
    {
        var a = Leaf(R, -2f, 2f, 4, 6);
        var pos = Leaf(R, 0.3f, 2f, 4, 6);
        Check(x => WeightedSum(x[0].Exp()), a);
        Check(x => WeightedSum(x[0].Log()), pos);
        Check(x => WeightedSum(x[0].Sqrt()), pos);
        Check(x => WeightedSum(x[0].Sigmoid()), a);
        Check(x => WeightedSum(x[0].Tanh()), a);
        Check(x => WeightedSum(x[0].Softplus()), a);
        Check(x => WeightedSum(x[0].LogSigmoid()), a);
        Check(x => WeightedSum(x[0].Square()), a);
    }

    [Fact]
    public void Piecewise_ops_away_from_their_kinks()
    {
        // Values at least 0.1 from 0 and from the clamp bounds, so central differences never straddle a kink.
        var data = new float[24];
        for (int i = 0; i < data.Length; i++) data[i] = (i % 2 == 0 ? 1 : -1) * (0.15f + 0.07f * i);
        var a = Tensor.From(data, 4, 6);
        a.RequiresGrad = true;
        Check(x => WeightedSum(x[0].Relu()), a);
        Check(x => WeightedSum(x[0].LeakyRelu(0.2f)), a);
        Check(x => WeightedSum(x[0].Abs()), a);
        Check(x => WeightedSum(x[0].Clamp(-0.55f, 0.6f)), a);
    }

    [Fact]
    public void Where_routes_gradient_by_condition()
    {
        var cond = Tensor.From([1, 0, 1, 0, 0, 1], 2, 3);
        var a = Leaf(R, -1, 1, 2, 3);
        var b = Leaf(R, -1, 1, 2, 3);
        var s = Leaf(R, -1, 1, 1);
        Check(x => WeightedSum(Tensor.Where(cond, x[0], x[1])), a, b);
        Check(x => WeightedSum(Tensor.Where(cond, x[0], x[1])), a, s);
    }

    [Fact]
    public void Reductions_and_broadcast()
    {
        var a = Leaf(R, -1, 1, 2, 3, 4);
        Check(x => x[0].Sum(), a);
        Check(x => x[0].Mean(), a);
        Check(x => WeightedSum(x[0].Sum(1)), a);
        Check(x => WeightedSum(x[0].Sum(-1, keepDim: true)), a);
        Check(x => WeightedSum(x[0].Mean(0)), a);
        var v = Leaf(R, -1, 1, 4);
        Check(x => WeightedSum(x[0].BroadcastTo(new Shape(3, 4))), v);
        Check(x => WeightedSum(x[0].SumTo(new Shape(3, 1, 4))), a.Detach().Reshape(3, 2, 4).Contiguous().WithGrad());
    }

    [Fact]
    public void Shape_ops()
    {
        var a = Leaf(R, -1, 1, 3, 4);
        var b = Leaf(R, -1, 1, 3, 2);
        Check(x => WeightedSum(x[0].Reshape(2, 6)), a);
        Check(x => WeightedSum(x[0].Reshape(-1)), a);
        Check(x => WeightedSum(x[0].T()), a);
        Check(x => WeightedSum(x[0].T().Contiguous() * 2f), a);
        Check(x => WeightedSum(Tensor.Concat(x[0], x[1], 1)), a, b);
        Check(x => WeightedSum(Tensor.Concat(x[0], x[0], 0)), a);
        Check(x => WeightedSum(x[0].Slice(1, 1, 2)), a);
        Check(x => WeightedSum(x[0].Slice(0, 2, 1)), a);
        var c = Leaf(R, -1, 1, 2, 3, 4);
        Check(x => WeightedSum(x[0].Transpose(0, 2)), c);
    }

    [Fact]
    public void MatMul_with_transposed_views()
    {
        var a = Leaf(R, -1, 1, 3, 5);
        var b = Leaf(R, -1, 1, 5, 4);
        var bt = Leaf(R, -1, 1, 4, 5);
        var at = Leaf(R, -1, 1, 5, 3);
        Check(x => WeightedSum(x[0].MatMul(x[1])), a, b);
        Check(x => WeightedSum(x[0].MatMul(x[1].T())), a, bt);
        Check(x => WeightedSum(x[0].T().MatMul(x[1])), at, b);
        Check(x => WeightedSum(x[0].T().MatMul(x[1].T())), at, bt);
        var col = Leaf(R, -1, 1, 5, 1);
        Check(x => WeightedSum(x[0].MatMul(x[1])), a, col);
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void Fused_linear_with_each_activation(Activation act)
    {
        var x = Leaf(R, -1, 1, 4, 3);
        var w = Leaf(R, -1, 1, 5, 3);
        var b = Leaf(R, -0.5f, 0.5f, 5);
        // Keep pre-activations away from relu's kink for the finite differences.
        if (act is Activation.Relu or Activation.LeakyRelu)
        {
            using var _ = GanSharp.Autograd.GradMode.NoGrad();
            var pre = Tensor.Linear(x, w, b).ToArray();
            for (int i = 0; i < pre.Length; i++)
                if (Math.Abs(pre[i]) < 0.02f) { b.Span[i % 5] += 0.1f; }
        }
        Check(t => WeightedSum(Tensor.Linear(t[0], t[1], t[2], act, 0.2f)), x, w, b);
        Check(t => WeightedSum(Tensor.Linear(t[0], t[1], null, act, 0.2f)), x, w);
    }

    [Fact]
    public void GroupMax_maxout()
    {
        var a = Leaf(R, -1, 1, 3, 12);
        Check(x => WeightedSum(x[0].GroupMax(4)), a);
        Check(x => WeightedSum(x[0].GroupMax(3) * x[0].GroupMax(3)), a);
    }

    [Fact]
    public void Bce_with_logits_against_tensor_and_scalar_targets()
    {
        var logits = Leaf(R, -4, 4, 6, 1);
        var target = Tensor.Uniform(new Shape(6, 1), 0, 1, R);
        Check(x => x[0].BceWithLogits(target), logits);
        Check(x => x[0].BceWithLogits(1f), logits);
        Check(x => x[0].BceWithLogits(0f), logits);
    }

    [Fact]
    public void Bce_with_logits_matches_the_definition_and_stays_finite()
    {
        var logits = Tensor.From([-3f, 0f, 2f], 3);
        float expected = 0;
        foreach (var l in new[] { -3f, 0f, 2f }) expected += -MathF.Log(1f / (1f + MathF.Exp(-l)));
        Assert.Equal(expected / 3, logits.BceWithLogits(1f).Item(), 5);
        var extreme = Tensor.From([-200f, 200f], 2);
        Assert.Equal(100f, extreme.BceWithLogits(1f).Item(), 3);
        Assert.Equal(100f, extreme.BceWithLogits(0f).Item(), 3);
    }

    [Fact]
    public void Cross_entropy_gradient_and_value()
    {
        int[] targets = [2, 0, 3, 3, 1];
        var logits = Leaf(R, -3, 3, 5, 4);
        Check(x => x[0].CrossEntropy(targets), logits);
        // -log softmax by hand, in double; rows shifted by +-300 stay finite (the op subtracts each row's max).
        var v = logits.ToArray();
        double expected = 0;
        for (int i = 0; i < 5; i++)
        {
            double sum = 0;
            for (int k = 0; k < 4; k++) sum += Math.Exp(v[i * 4 + k]);
            expected += Math.Log(sum) - v[i * 4 + targets[i]];
        }
        Assert.Equal(expected / 5, logits.CrossEntropy(targets).Item(), 4);
        var far = Tensor.From(v.Select((x, i) => x + (i / 4 % 2 == 0 ? 300f : -300f)).ToArray(), 5, 4);
        Assert.Equal(expected / 5, far.CrossEntropy(targets).Item(), 3);
        Assert.Throws<ArgumentException>(() => logits.CrossEntropy([0, 1, 4, 0, 0]));
    }
}

internal static class TestTensorExtensions
{
    public static Tensor WithGrad(this Tensor t)
    {
        var c = Tensor.From(t.ToArray(), t.Shape.ToArray());
        c.RequiresGrad = true;
        return c;
    }
}
