using GanSharp.Autograd;
using GanSharp.Nn;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;

namespace GanSharp.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void Sequential_names_parameters_like_pytorch_state_dict()
    {
        var net = new Sequential(new Linear(3, 4), new ReLU(), new Maxout(4, 2, 3), new Dropout(0.5f), new Linear(2, 1, bias: false));
        var names = net.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight"], names);
        Assert.Equal(new Shape(6, 4), net.NamedParameters().ElementAt(2).Parameter.Shape);
        Assert.Equal(3 * 4 + 4 + 6 * 4 + 6 + 2, net.ParameterCount);
    }

    [Fact]
    public void A_frozen_module_passes_gradients_through_but_computes_none_for_its_own_parameters()
    {
        var rng = new Rng(9);
        var net = new Sequential(new Linear(3, 4, rng: rng), new Tanh(), new Linear(4, 1, rng: rng));
        var x = Tensor.Uniform(new Shape(5, 3), -1, 1, rng);
        x.RequiresGrad = true;
        var frozen = net.RequiresGrad(false);
        Assert.Same(net, frozen);
        Assert.All(net.Parameters(), p => Assert.False(p.RequiresGrad));
        net.Forward(x).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.True(p.Grad == null || p.Grad.ToArray().All(g => g == 0f)));
        var throughFrozen = x.Grad!.ToArray();
        Assert.Contains(throughFrozen, g => g != 0f);

        net.RequiresGrad(true);
        x.Grad!.Span.Clear();
        net.Forward(x).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.Contains(p.Grad!.ToArray(), g => g != 0f));
        Assert.Equal(throughFrozen, x.Grad!.ToArray()); // the input's gradient does not depend on freezing
    }

    [Fact]
    public void Fused_linear_activation_equals_separate_ops()
    {
        var rng = new Rng(5);
        var x = Tensor.Uniform(new Shape(7, 5), -1, 1, rng);
        foreach (ActivationModule act in new ActivationModule[] { new ReLU(), new LeakyReLU(0.2f), new Sigmoid(), new Tanh() })
        {
            var lin = new Linear(5, 3, rng: rng);
            var fused = new Sequential(lin, act).Forward(x).ToArray();
            var separate = act.Forward(lin.Forward(x)).ToArray();
            for (int i = 0; i < fused.Length; i++) Assert.Equal(separate[i], fused[i], 6);
        }
    }

    [Fact]
    public void Maxout_gradients_match_finite_differences()
    {
        var rng = new Rng(8);
        var layer = new Maxout(4, 3, 2, rng);
        var x = Leaf(rng, -1, 1, 5, 4);
        Check(t => WeightedSum(layer.Forward(t[0])), x, layer.Weight, layer.Bias);
    }

    [Fact]
    public void Maxout_takes_the_max_of_consecutive_pieces()
    {
        var x = Tensor.From([1, 5, 2, -1, -3, -2], 1, 6);
        var y = x.GroupMax(3).ToArray();
        Assert.Equal([5f, -1f], y);
    }

    [Fact]
    public void Dropout_is_identity_in_eval_and_scaled_bernoulli_in_train()
    {
        var drop = new Dropout(0.2f, new Rng(3));
        var x = Tensor.Full(new Shape(200, 100), 1f);
        drop.Eval();
        Assert.Same(x, drop.Forward(x));
        drop.Train();
        var y = drop.Forward(x).ToArray();
        int kept = y.Count(v => v != 0);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1.25f) < 1e-6f));
        // 20,000 Bernoulli(0.8) draws: mean 16,000, sd ~57; 5 sd bound.
        Assert.InRange(kept, 16000 - 285, 16000 + 285);
    }

    [Fact]
    public void Dropout_gradient_is_the_mask()
    {
        var drop = new Dropout(0.5f, new Rng(4));
        var x = Tensor.Full(new Shape(4, 8), 1f);
        x.RequiresGrad = true;
        var y = drop.Forward(x);
        y.Sum().Backward();
        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
    }

    [Fact]
    public void Initialisers_have_the_stated_ranges_and_spread()
    {
        var rng = new Rng(9);
        var w = new Parameter(400, 300);
        Init.XavierUniform(w, 1f, rng);
        float a = MathF.Sqrt(6f / 700f);
        Assert.All(w.ToArray(), v => Assert.InRange(v, -a, a));
        Init.KaimingNormal(w, 0f, rng);
        var v = w.ToArray();
        double std = Math.Sqrt(v.Select(e => (double)e * e).Average());
        Assert.InRange(std, Math.Sqrt(2.0 / 300) * 0.98, Math.Sqrt(2.0 / 300) * 1.02);
        Init.Uniform(w, -0.05f, 0.05f, rng);
        Assert.All(w.ToArray(), e => Assert.InRange(e, -0.05f, 0.05f));
    }

    [Fact]
    public void Shape_errors_name_the_op_and_both_shapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4, 5);
        var e1 = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("add", e1.Message);
        Assert.Contains("[2, 3]", e1.Message);
        Assert.Contains("[4, 5]", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => a.MatMul(b));
        Assert.Contains("matmul", e2.Message);
        Assert.Contains("[4, 5]", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => new Linear(4, 2).Forward(a));
        Assert.Contains("[2, 3]", e3.Message);
    }

    [Fact]
    public void Tensors_of_an_ended_scope_cannot_be_used()
    {
        Tensor kept;
        using (TensorScope.Begin())
        {
            kept = Tensor.Ones(3) * 2f;
            Assert.Equal(6f, kept.Sum().Item());
        }
        Assert.Throws<ObjectDisposedException>(() => kept.Item());
    }

    [Fact]
    public void No_grad_scope_records_nothing()
    {
        var w = new Parameter(2, 2);
        using (GradMode.NoGrad())
        {
            var y = w.MatMul(w);
            Assert.False(y.RequiresGrad);
        }
        Assert.True(w.MatMul(w).RequiresGrad);
    }
}
