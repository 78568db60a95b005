using GanSharp.Data;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tensors;

namespace GanSharp.Tests.Gan;

/// <summary>A conditional GAN on labels: two classes of 2-D points, one near (-2, 0), the other near (2, 0).</summary>
public class ConditionalGanTests
{
    private static DataBundle TwoClusters()
    {
        var rng = new Rng(4);
        var data = new float[2000 * 2];
        var labels = new int[2000];
        for (int i = 0; i < 2000; i++)
        {
            labels[i] = i % 2;
            data[2 * i] = (labels[i] == 0 ? -2f : 2f) + 0.1f * rng.NextNormal();
            data[2 * i + 1] = 0.1f * rng.NextNormal();
        }
        var set = new Dataset("clusters", data, [2], labels, 2);
        return new DataBundle(new DatasetSampler(set, 1), [2], set);
    }

    [Fact]
    public void The_label_steers_the_generator_to_its_class()
    {
        var config = ConfigSource.Load("ring2d", steps: 1500, seed: 2, settings: ["train.conditional=true", "train.batch_size=64"]);
        var trainer = GanFactory.CreateTrainer(config, TwoClusters());
        Assert.Equal(2, trainer.Noise.Classes);
        for (int i = 0; i < 1500; i++) trainer.TrainStep();

        // Sample(count) puts the classes in order: even rows class 0, odd rows class 1.
        var samples = GeneratorSampling.Sample(trainer.SamplingGenerator, trainer.Noise, 400, new Rng(9));
        double right0 = 0, right1 = 0;
        for (int i = 0; i < 400; i++)
            if (i % 2 == 0) right0 += samples[2 * i] < 0 ? 1 : 0;
            else right1 += samples[2 * i] > 0 ? 1 : 0;
        Assert.True(right0 / 200 > 0.95 && right1 / 200 > 0.95, $"class 0 left of 0: {right0 / 200:P0}, class 1 right of 0: {right1 / 200:P0}");
    }

    [Fact]
    public void Conditional_needs_labels_and_no_packing()
    {
        Assert.Throws<ConfigException>(() => GanFactory.CreateTrainer(ConfigSource.Load("ring2d", settings: ["train.conditional=true"])));
        Assert.Throws<ConfigException>(() => ConfigSource.Load("ring2d", settings: ["train.conditional=true", "train.pack=2"]));
    }
}
