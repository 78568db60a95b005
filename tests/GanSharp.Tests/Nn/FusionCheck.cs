using GanSharp.Nn;
using GanSharp.Tensors;
using static GanSharp.Tests.GradCheck;

namespace GanSharp.Tests.Nn;

/// <summary>What Sequential's fusions (a layer and the rectifier after it, run as one) must keep: the values and gradients of the two layers run apart.</summary>
public static class FusionCheck
{
    /// <summary>
    /// Runs <paramref name="layer"/> then <paramref name="rectifier"/> as Sequential fuses them and one after the other, in a
    /// scope, and asserts the same outputs and the same gradients of x and <paramref name="parameters"/>; returns the output.
    /// </summary>
    public static float[] AssertFusedMatchesSeparate(Module layer, Module rectifier, Tensor x, params Tensor[] parameters)
    {
        (float[] Y, float[][] Grads) Run(Func<Tensor, Tensor> net)
        {
            x.Grad = null;
            foreach (var p in parameters) p.Grad = null;
            using var _ = TensorScope.Begin();
            var y = net(x);
            WeightedSum(y).Backward();
            return (y.ToArray(), [x.Grad!.ToArray(), .. parameters.Select(p => p.Grad!.ToArray())]);
        }
        var separate = Run(t => rectifier.Forward(layer.Forward(t)));
        var fused = Run(new Sequential(layer, rectifier).Forward);
        Assert.Equal(separate.Y, fused.Y); // a ReLU's negative inputs may give -0 instead of 0: equal as floats
        for (int i = 0; i < separate.Grads.Length; i++) Assert.Equal(separate.Grads[i], fused.Grads[i]);
        return fused.Y;
    }
}
