using GanSharp.Data;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.IO;
using GanSharp.Nn;
using GanSharp.Runs;
using GanSharp.Tensors;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.Gan;

/// <summary>Convolutional networks from configs: layer types, shape tracking, the DCGAN presets.</summary>
public class ConvNetworkConfigTests
{
    private static DataBundle RandomImages(int[] shape, int count = 64)
    {
        int dim = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[count * dim];
        new Rng(1).FillUniform(data, 0, 1);
        var set = new Dataset("random", data, shape);
        return new DataBundle(new DatasetSampler(set, 0), shape, set);
    }

    private static NetworkConfig Network(string layersJson) =>
        ConfigSource.Load("dcgan-mnist", settings: ["discriminator.layers=" + layersJson]).Discriminator;

    private static Sequential Build(string layersJson, int inputs = 784, int outputs = 1) =>
        GanFactory.BuildNetwork(Network(layersJson), inputs, outputs, "discriminator", new Rng(0), new Rng(1));

    [Fact]
    public void Dcgan_mnist_has_the_benchmark_networks()
    {
        var config = ConfigSource.Load("dcgan-mnist");
        var trainer = GanFactory.CreateTrainer(config, RandomImages([1, 28, 28]));
        var g = (Sequential)trainer.Generator.Network;
        var d = (Sequential)trainer.Discriminator.Network;
        // gan_dcgan28_bench.py: G 766,017 and D 138,817 parameters, PyTorch names and shapes.
        Assert.Equal(766_017, g.ParameterCount);
        Assert.Equal(138_817, d.ParameterCount);
        Assert.Equal(new Shape(128, 64, 4, 4), g.NamedParameters().Single(p => p.Name == "4.weight").Parameter.Shape);
        Assert.Equal(new Shape(64, 1, 4, 4), d.NamedParameters().Single(p => p.Name == "1.weight").Parameter.Shape);
        Assert.IsType<BatchNorm2d>(g.Layers[2]);
        Assert.IsType<BatchNorm2d>(d.Layers[4]);
        Assert.Equal(["2.running_mean", "2.running_var", "5.running_mean", "5.running_var"], g.NamedBuffers().Select(b => b.Name));
    }

    [Theory]
    [InlineData("dcgan-mnist", new[] { 1, 28, 28 })]
    [InlineData("dcgan-cifar10", new[] { 3, 32, 32 })]
    [InlineData("dcgan-stacked-mnist", new[] { 3, 28, 28 })]
    public void Dcgan_presets_build_and_train_a_step_on_random_images(string preset, int[] imageShape)
    {
        // A batch of 2 keeps the test fast; the networks are the preset's.
        var config = ConfigSource.Load(preset, settings: ["train.batch_size=2"]);
        var trainer = GanFactory.CreateTrainer(config, RandomImages(imageShape));
        var before = trainer.Generator.Network.Parameters()[0].ToArray();
        var metrics = trainer.TrainStep();
        Assert.True(float.IsFinite(metrics.DiscriminatorLoss) && float.IsFinite(metrics.GeneratorLoss));
        Assert.NotEqual(before, trainer.Generator.Network.Parameters()[0].ToArray());
        using (TensorScope.Begin())
        {
            var samples = trainer.Generator.Network.Forward(trainer.Noise.Sample(3, new Rng(2)));
            Assert.Equal(new Shape(3, imageShape.Aggregate(1, (a, b) => a * b)), samples.Shape);
            Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Packing_a_convolutional_discriminator_concatenates_the_packed_images_along_channels()
    {
        var trainer = GanFactory.CreateTrainer(ConfigSource.Load("dcgan-mnist", settings: ["train.batch_size=4", "train.pack=2"]), RandomImages([1, 28, 28]));
        var d = (Sequential)trainer.Discriminator.Network;
        Assert.Equal(new Shape(64, 2, 4, 4), d.NamedParameters().Single(p => p.Name == "1.weight").Parameter.Shape);
        var metrics = trainer.TrainStep();
        Assert.True(float.IsFinite(metrics.DiscriminatorLoss) && float.IsFinite(metrics.GeneratorLoss));
        // Row r of the packed batch is examples 2r and 2r + 1: image 2r in channel 0, image 2r + 1 in channel 1.
        using (TensorScope.Begin())
        {
            var batch = Tensor.From(Enumerable.Range(0, 4 * 784).Select(i => (float)(i / 784)).ToArray(), 4, 784);
            var unflattened = d.Layers[0].Forward(batch.Reshape(2, -1));
            Assert.Equal(new Shape(2, 2, 28, 28), unflattened.Shape);
            Assert.Equal([0f, 1f, 2f, 3f], Enumerable.Range(0, 4).Select(k => unflattened.ToArray()[k * 784]));
        }
    }

    [Fact]
    public void A_warm_dcgan_training_step_allocates_nothing()
    {
        // im2col scratch, GEMM operands and batch-norm statistics all come from the step's TensorScope.
        var trainer = GanFactory.CreateTrainer(ConfigSource.Load("dcgan-mnist", settings: ["train.batch_size=2"]), RandomImages([1, 28, 28]));
        for (int i = 0; i < 3; i++) trainer.TrainStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) trainer.TrainStep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Checkpoints_carry_batch_norm_running_statistics()
    {
        using var folder = new TempFolder();
        var config = ConfigSource.Load("dcgan-mnist", settings: ["train.batch_size=2"]);
        var trained = GanFactory.CreateTrainer(config, RandomImages([1, 28, 28]));
        trained.TrainStep();
        var path = Checkpoint.Save(trained, [1, 28, 28], config.Json, folder.Root, keep: 1);
        var file = SafeTensorsFile.Load(path);
        Assert.Contains("generator.2.running_mean", file.Names);
        Assert.Contains("discriminator.4.running_var", file.Names);

        var restored = GanFactory.CreateTrainer(config, RandomImages([1, 28, 28]));
        Checkpoint.Restore(restored, file);
        var expected = trained.Discriminator.Network.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.ToArray());
        foreach (var (name, buffer) in restored.Discriminator.Network.NamedBuffers())
            Assert.Equal(expected[name], buffer.ToArray());
        Assert.NotEqual(new float[128], expected["4.running_mean"]);
    }

    [Fact]
    public void Shapes_are_tracked_through_convolutions_and_batch_norm_follows_the_shape()
    {
        var net = Build("""
            [ { "type": "unflatten", "channels": 1, "height": 28, "width": 28 },
              { "type": "conv2d", "out_channels": 4, "kernel": 3, "stride": 2, "padding": 0, "bias": false },
              { "type": "batch_norm" },
              { "type": "conv_transpose2d", "out_channels": 2, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1 },
              { "type": "flatten" }, { "type": "batch_norm" }, { "type": "linear", "out": 1 } ]
            """);
        // 28 -> (28 - 3) / 2 + 1 = 13 -> (13 - 1) 2 - 2 + 3 + 1 = 26; 2 * 26 * 26 features.
        Assert.Null(((Conv2d)net.Layers[1]).Bias);
        Assert.Equal(4, ((BatchNorm2d)net.Layers[2]).NumFeatures);
        Assert.Equal(2 * 26 * 26, ((BatchNorm1d)net.Layers[5]).NumFeatures);
        using var _ = TensorScope.Begin();
        Assert.Equal(new Shape(2, 1), net.Forward(Tensor.Zeros(2, 784)).Shape);
    }

    [Fact]
    public void Shape_mistakes_name_the_layer_and_the_shape()
    {
        var e = Assert.Throws<ConfigException>(() => Build("""[ { "type": "conv2d", "out_channels": 4, "kernel": 3 } ]"""));
        Assert.Contains("config.discriminator.layers[0]", e.Message);
        Assert.Contains("784 features", e.Message);
        Assert.Contains("unflatten", e.Message);

        var e2 = Assert.Throws<ConfigException>(() => Build("""[ { "type": "unflatten", "channels": 1, "height": 27, "width": 28 } ]"""));
        Assert.Contains("layers[0]", e2.Message);
        Assert.Contains("756", e2.Message);

        var e3 = Assert.Throws<ConfigException>(() => Build("""
            [ { "type": "unflatten", "channels": 1, "height": 28, "width": 28 }, { "type": "linear", "out": 1 } ]
            """));
        Assert.Contains("layers[1]", e3.Message);
        Assert.Contains("1x28x28", e3.Message);
        Assert.Contains("flatten", e3.Message);

        var e4 = Assert.Throws<ConfigException>(() => Build("""
            [ { "type": "unflatten", "channels": 1, "height": 28, "width": 28 }, { "type": "conv2d", "out_channels": 1, "kernel": 29 } ]
            """));
        Assert.Contains("layers[1]", e4.Message);
        Assert.Contains("kernel", e4.Message);

        var e5 = Assert.Throws<ConfigException>(() => Build("""
            [ { "type": "unflatten", "channels": 1, "height": 28, "width": 28 }, { "type": "conv2d", "out_channels": 1, "kernel": 28 } ]
            """));
        Assert.Contains("flatten", e5.Message);

        var e6 = Assert.Throws<ConfigException>(() => Network("""
            [ { "type": "conv_transpose2d", "out_channels": 1, "kernel": 4, "stride": 2, "output_padding": 2 } ]
            """));
        Assert.Contains("layers[0].output_padding", e6.Message);

        var e7 = Assert.Throws<ConfigException>(() => Network("""[ { "type": "conv2d", "out_channels": 1, "kernal": 4 } ]"""));
        Assert.Contains("kernel", e7.Message);
    }
}
