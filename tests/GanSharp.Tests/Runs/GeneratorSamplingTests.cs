using GanSharp.Autograd;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Tests.Runs;

public class GeneratorSamplingTests
{
    [Fact]
    public void Chunked_sampling_equals_one_forward_pass_over_all_rows_in_eval_mode()
    {
        // The DCGAN preset's G (batch norm, transposed convolutions), with running statistics moved off their initial values.
        var config = ConfigSource.Parse(Presets.Json("dcgan-mnist"), "dcgan-mnist");
        var g = GanFactory.BuildNetwork(config.Generator, 100, 784, "generator", new Rng(1), new Rng(2));
        using (TensorScope.Begin()) g.Forward(Tensor.From(Enumerable.Range(0, 8 * 100).Select(i => MathF.Sin(i)).ToArray(), 8, 100));
        int rows = 2 * GeneratorSampling.ChunkRows + 37;
        var z = Tensor.Zeros(rows, 100);
        new Rng(3).FillNormal(z.Span, 0f, 1f);

        var chunked = GeneratorSampling.Forward(g, z);
        float[] whole;
        g.Eval();
        using (TensorScope.Begin())
        using (GradMode.NoGrad()) whole = g.Forward(z).ToArray();
        g.Train();

        Assert.Equal(rows * 784, chunked.Length);
        for (int i = 0; i < whole.Length; i++) Assert.True(Math.Abs(whole[i] - chunked[i]) <= 1e-5f, $"element {i}: {chunked[i]} vs {whole[i]}");
        Assert.True(g.IsTraining);
    }
}
