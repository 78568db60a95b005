using GanSharp.Data;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Gan.Config;

/// <summary>Builds the networks, optimizers, schedules, data and trainer that a config describes.</summary>
public static class GanFactory
{
    // Parameters are initialised from the seed; training draws from a second stream, so changing
    // the network does not shift the data/noise sequence and vice versa.
    private const ulong TrainingStream = 0x5DEECE66DUL;

    public static GanTrainer CreateTrainer(GanConfig config, string? dataDir = null) => CreateTrainer(config, CreateData(config, dataDir));

    public static GanTrainer CreateTrainer(GanConfig config, DataBundle bundle)
    {
        var initRng = new Rng(config.Train.Seed);
        var trainRng = new Rng(config.Train.Seed ^ TrainingStream);
        var data = bundle.Train;
        var noise = CreateNoise(config, Classes(config, bundle));
        var g = BuildNetwork(config.Generator, noise.Dimension, data.Dimension, "generator", initRng, trainRng, bundle.TrainSet);
        int classes = Classes(config, bundle);
        var d = BuildNetwork(config.Discriminator, data.Dimension * config.Train.Pack + classes, 1, "discriminator", initRng, trainRng, pack: config.Train.Pack);
        var average = config.Train.GeneratorEma > 0
            ? new ExponentialMovingAverage(g, BuildNetwork(config.Generator, noise.Dimension, data.Dimension, "generator", new Rng(0), trainRng, forRestore: true), config.Train.GeneratorEma)
            : null;
        return new GanTrainer(
            CreatePlayer(g, config.GeneratorOptimizer),
            CreatePlayer(d, config.DiscriminatorOptimizer),
            data,
            noise,
            GanObjective.Create(config.Objective),
            config.Train.K, config.Train.BatchSize, trainRng,
            bundle.TrainSet != null ? (bundle.TrainSet.Count + config.Train.BatchSize - 1) / config.Train.BatchSize : config.Train.StepsPerEpoch,
            config.Train.Pack, average)
        {
            Regularizer = config.Regularizer,
            WeightClip = config.Train.WeightClip,
            Simultaneous = config.Train.Simultaneous,
            EvaluationEvery = config.Output.SampleEvery,
            CheckpointEvery = config.Output.CheckpointEvery,
        };
    }

    /// <summary>The generator's input for a config: latent noise, plus a one-hot label when conditional.</summary>
    public static NoisePrior CreateNoise(GanConfig config, int classes) =>
        new(config.Noise.Kind, config.Noise.Dimension, config.Noise.Scale, config.Train.Conditional ? classes : 0);

    private static int Classes(GanConfig config, DataBundle bundle)
    {
        if (!config.Train.Conditional) return 0;
        if (bundle.Train is not ILabelledDataSource { ClassCount: > 0 } labelled)
            throw new ConfigException("config.train.conditional: needs a stored dataset with labels (mnist, fashion-mnist, mnist10k, cifar10, or a class-per-folder image-folder).");
        return labelled.ClassCount;
    }

    /// <summary>The data a config names; stored datasets are looked up with <see cref="DataLocator"/> (--data DIR first).</summary>
    public static DataBundle CreateData(GanConfig config, string? dataDir = null) => config.Data switch
    {
        Gaussian1DDataConfig g => new DataBundle(new Gaussian1D(g.Mean, g.Std), [1]),
        MixtureDataConfig m => new DataBundle(m.Type == "ring2d"
            ? GaussianMixture2D.Ring(m.Modes, m.Radius, m.Std)
            : GaussianMixture2D.Grid(m.Side, m.Spacing, m.Std), [2]),
        StoredDataConfig s => LoadStored(s, dataDir, config.Train.Seed),
        _ => throw new ConfigException($"config.data.type: '{config.Data.Type}' is not supported."),
    };

    private static DataBundle LoadStored(StoredDataConfig s, string? dataDir, ulong seed)
    {
        var (train, validation, test) = LoadSplits(s, dataDir);
        if (s.Stack > 1)
        {
            // Each split stacks its own digits, so held-out stacks never reuse training digits.
            train = StackedDataset.Create(train, s.Stack, s.StackExamples, s.SplitSeed);
            validation = validation == null ? null : StackedDataset.Create(validation, s.Stack, validation.Count, s.SplitSeed + 1);
            test = test == null ? null : StackedDataset.Create(test, s.Stack, test.Count, s.SplitSeed + 2);
        }
        return new DataBundle(new DatasetSampler(train, seed), train.SampleShape, train, validation, test);
    }

    /// <summary>
    /// A stored dataset's training, validation and test examples as the config splits them (before any
    /// stacking): the digits a Stacked MNIST run's classifier learns from.
    /// </summary>
    public static (Dataset Train, Dataset? Validation, Dataset? Test) LoadSplits(StoredDataConfig s, string? dataDir)
    {
        Dataset all = s.Type switch
        {
            "npy" => NpyReader.LoadDataset(s.Path!, Path.GetFileNameWithoutExtension(s.Path!), scaleBytes: true),
            "image-folder" => ImageFolderReader.Load(s.Path!, Path.GetFileName(Path.TrimEndingDirectorySeparator(s.Path!)), s.Grayscale),
            _ => DataLocator.Load(s.Type, s.Path ?? dataDir),
        };
        Dataset? test = s.Type is "mnist" or "fashion-mnist" or "cifar10" ? DataLocator.LoadSplit(s.Type, "test", s.Path ?? dataDir) : null;
        int carveTest = test == null ? s.Test : 0;
        if (s.Validation + carveTest >= all.Count)
            throw new ConfigException($"config.data: validation ({s.Validation}) + test ({carveTest}) leave no training examples of the {all.Count} in {all.Name}.");
        var (train, validation, carved) = Dataset.Split(all, s.Validation, carveTest, s.SplitSeed);
        if (s.Stack > 1 && (train.SampleShape is not [1, _, _] || train.Labels is null))
            throw new ConfigException($"config.data.stack: stacking needs labelled one-channel images; {all.Name} has examples of shape [{string.Join(", ", train.SampleShape)}]{(train.Labels is null ? " and no labels" : "")}.");
        return (train, s.Validation > 0 ? validation : null, test ?? (carveTest > 0 ? carved : null));
    }

    private static Player CreatePlayer(Module network, OptimizerConfig c)
    {
        var parameters = network.Parameters();
        Optimizer opt = c.Type == "sgd"
            ? new Sgd(parameters, c.Lr, c.Momentum, c.WeightDecay)
            : new Adam(parameters, c.Lr, c.Beta1, c.Beta2, c.Epsilon, c.WeightDecay);
        var decay = c.LrDecay == null ? null : new ExponentialDecay(opt, c.LrDecay.Factor, c.LrDecay.MinLr);
        var ramp = c.MomentumRamp == null ? null
            : new MomentumRamp((Sgd)opt, c.Momentum, c.MomentumRamp.Final, c.MomentumRamp.StartEpoch, c.MomentumRamp.SaturateEpoch);
        return new Player(network, opt, decay, ramp);
    }

    /// <summary>
    /// A Sequential from layer specs, checking that sizes chain from <paramref name="inputs"/> to <paramref name="outputs"/>.
    /// The current shape is tracked through the layers (flat features, or channels x height x width
    /// after "unflatten" and convolutions), so each layer's sizes follow from the one before.
    /// <paramref name="forRestore"/> skips data-dependent initialisation when weights will be loaded anyway.
    /// With PacGAN packing (<paramref name="pack"/> m &gt; 1) a discriminator's input row holds m examples, so an
    /// "unflatten" makes m times its channels: the packed images are concatenated along channels, as in PacGAN.
    /// </summary>
    public static Sequential BuildNetwork(NetworkConfig config, int inputs, int outputs, string name, Rng initRng, Rng trainRng, Dataset? data = null,
        bool forRestore = false, int pack = 1)
    {
        var layers = new List<Module>();
        var shape = LayerShape.Flat(inputs);
        for (int i = 0; i < config.Layers.Count; i++)
        {
            var l = config.Layers[i];
            var init = l.Init ?? config.Init;
            string path = $"config.{name}.layers[{i}]";
            switch (l.Type)
            {
                case "linear":
                    shape.RequireFlat(path, l.Type);
                    var linear = new Linear(shape.Size, l.Out, l.Bias, initRng);
                    Initialise(linear.Weight, linear.Bias, init, initRng);
                    if (l.BiasFromMarginals && !forRestore) SetBiasFromMarginals(linear, data, path);
                    layers.Add(linear);
                    shape = LayerShape.Flat(l.Out);
                    break;
                case "maxout":
                    shape.RequireFlat(path, l.Type);
                    var maxout = new Maxout(shape.Size, l.Units, l.Pieces, initRng);
                    Initialise(maxout.Weight, maxout.Bias, init, initRng);
                    layers.Add(maxout);
                    shape = LayerShape.Flat(l.Units);
                    break;
                case "conv2d":
                    shape.RequireImage(path, l.Type);
                    var conv = new Conv2d(shape.Channels, l.Out, l.Kernel, l.Stride, l.Padding, l.Bias, initRng);
                    Initialise(conv.Weight, conv.Bias, init, initRng);
                    layers.Add(conv);
                    shape = shape.Convolved(path, l.Type, l.Out, conv.OutputSize(shape.Height), conv.OutputSize(shape.Width));
                    break;
                case "conv_transpose2d":
                    shape.RequireImage(path, l.Type);
                    var deconv = new ConvTranspose2d(shape.Channels, l.Out, l.Kernel, l.Stride, l.Padding, l.OutputPadding, l.Bias, initRng);
                    Initialise(deconv.Weight, deconv.Bias, init, initRng);
                    layers.Add(deconv);
                    shape = shape.Convolved(path, l.Type, l.Out, deconv.OutputSize(shape.Height), deconv.OutputSize(shape.Width));
                    break;
                case "batch_norm":
                    layers.Add(shape.IsImage ? new BatchNorm2d(shape.Channels) : new BatchNorm1d(shape.Size));
                    break;
                case "unflatten":
                    shape.RequireFlat(path, l.Type);
                    int channels = l.Channels * (i == 0 ? pack : 1);
                    if (channels * l.Height * l.Width != shape.Size)
                        throw new ConfigException($"{path}: unflatten to {channels}x{l.Height}x{l.Width}{(channels != l.Channels ? $" ({pack} packed examples of {l.Channels} channels)" : "")} needs {channels * l.Height * l.Width} features but gets {shape}.");
                    layers.Add(new Unflatten(channels, l.Height, l.Width));
                    shape = new LayerShape(channels, l.Height, l.Width);
                    break;
                case "flatten":
                    shape.RequireImage(path, l.Type);
                    layers.Add(new Flatten());
                    shape = LayerShape.Flat(shape.Size);
                    break;
                case "dropout": layers.Add(new Dropout(l.P, trainRng)); break;
                case "relu": layers.Add(new ReLU()); break;
                case "leaky_relu": layers.Add(new LeakyReLU(l.Slope)); break;
                case "sigmoid": layers.Add(new Sigmoid()); break;
                case "tanh": layers.Add(new Tanh()); break;
                case "softplus": layers.Add(new Softplus()); break;
                default: throw new ConfigException($"{path}.type: unknown layer '{l.Type}'.");
            }
        }
        if (shape.IsImage)
            throw new ConfigException($"config.{name}.layers: the last layer gives {shape}; end with a 'flatten' layer (the {name} must output flat rows of {outputs}).");
        if (shape.Size != outputs)
            throw new ConfigException($"config.{name}.layers: the last layer gives {shape.Size} features but the {name} must output {outputs}" +
                (name == "discriminator" ? " (one logit per example; the sigmoid is part of the objective)." : " (the data dimension)."));
        return new Sequential(layers.ToArray());
    }

    /// <summary>What flows between layers while a network is built: flat features, or channels x height x width.</summary>
    private readonly record struct LayerShape(int Channels, int Height, int Width)
    {
        public static LayerShape Flat(int features) => new(features, 0, 0);
        public bool IsImage => Height > 0;
        public int Size => IsImage ? Channels * Height * Width : Channels;

        public void RequireFlat(string path, string type)
        {
            if (IsImage) throw new ConfigException($"{path}: '{type}' needs flat features but gets {this}; add a 'flatten' layer before it.");
        }

        public void RequireImage(string path, string type)
        {
            if (!IsImage) throw new ConfigException($"{path}: '{type}' needs channels x height x width but gets {this}; add an 'unflatten' layer before it.");
        }

        public LayerShape Convolved(string path, string type, int channels, int height, int width) => height > 0 && width > 0
            ? new LayerShape(channels, height, width)
            : throw new ConfigException($"{path}: '{type}' leaves no output ({height}x{width}) from {this}; check kernel, stride and padding.");

        public override string ToString() => IsImage ? $"{Channels}x{Height}x{Width} (channels x height x width)" : $"{Channels} features";
    }

    /// <summary>
    /// pylearn2's init_bias_from_marginals for a sigmoid output: bias = logit(mean of each feature
    /// over the training set), so the untrained generator already outputs the average image.
    /// </summary>
    private static void SetBiasFromMarginals(Linear layer, Dataset? data, string path)
    {
        if (data == null || data.Dimension != layer.OutFeatures || layer.Bias == null)
            throw new ConfigException($"{path}.bias_from_marginals: needs a stored dataset whose example size equals the layer's out ({layer.OutFeatures}) and a bias.");
        var mean = new double[data.Dimension];
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Example(i);
            for (int j = 0; j < mean.Length; j++) mean[j] += x[j];
        }
        var bias = layer.Bias.Span;
        for (int j = 0; j < mean.Length; j++)
        {
            double p = Math.Clamp(mean[j] / data.Count, 1e-3, 1 - 1e-3);
            bias[j] = (float)Math.Log(p / (1 - p));
        }
    }

    private static void Initialise(Parameter weight, Parameter? bias, InitConfig init, Rng rng)
    {
        switch (init.Type)
        {
            case "default": return; // PyTorch's nn.Linear default, already applied
            case "uniform":
                Init.Uniform(weight, -init.Range, init.Range, rng);
                if (bias != null) Init.Zeros(bias);
                break;
            case "normal":
                Init.Normal(weight, 0f, init.Std, rng);
                if (bias != null) Init.Zeros(bias);
                break;
            case "xavier":
                Init.XavierUniform(weight, init.Gain, rng);
                if (bias != null) Init.Zeros(bias);
                break;
            case "he":
                Init.KaimingNormal(weight, 0f, rng);
                if (bias != null) Init.Zeros(bias);
                break;
        }
    }
}
