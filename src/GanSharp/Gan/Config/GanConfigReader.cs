namespace GanSharp.Gan.Config;

/// <summary>Parses and validates a run config; every error names the key and what is allowed.</summary>
public static class GanConfigReader
{
    public static readonly string[] StoredDataTypes = ["mnist", "fashion-mnist", "mnist10k", "cifar10", "image-folder", "npy"];
    public static readonly string[] DataTypes = ["gaussian1d", "ring2d", "grid2d", .. StoredDataTypes];
    public static readonly string[] LayerTypes = ["linear", "maxout", "dropout", "relu", "leaky_relu", "sigmoid", "tanh", "softplus",
        "conv2d", "conv_transpose2d", "batch_norm", "unflatten", "flatten"];
    public static readonly string[] InitTypes = ["default", "uniform", "normal", "xavier", "he"];
    public static readonly string[] OptimizerTypes = ["sgd", "adam"];

    public static GanConfig Parse(string json, string source = "config")
    {
        var root = ConfigObject.Parse(json, source);
        string name = root.String("name", "unnamed");
        root.String("description", "");
        var data = ReadData(root.Object("data", required: true)!);
        var noise = ReadNoise(root.Object("noise", required: true)!);
        var generator = ReadNetwork(root.Object("generator", required: true)!);
        var discriminator = ReadNetwork(root.Object("discriminator", required: true)!);
        string objective = root.String("objective", "non-saturating", GanObjective.Names);
        var regularizerNode = root.Object("regularizer");
        var regularizer = regularizerNode == null ? Regularizer.None : ReadRegularizer(regularizerNode);
        var train = ReadTrain(root.Object("train", required: true)!);
        var optimizers = root.Object("optimizers", required: true)!;
        var gOpt = ReadOptimizer(optimizers.Object("generator", required: true)!);
        var dOpt = ReadOptimizer(optimizers.Object("discriminator", required: true)!);
        optimizers.Close();
        var pretrainNode = root.Object("pretrain");
        var pretrain = pretrainNode == null ? null : ReadPretrain(pretrainNode);
        var output = ReadOutput(root.Object("output") ?? new ConfigObject(System.Text.Json.JsonDocument.Parse("{}").RootElement, "config.output"));
        root.Close();

        if (train.BatchSize % train.Pack != 0)
            throw new ConfigException($"config.train.pack: {train.Pack} must divide batch_size {train.BatchSize}.");
        if (pretrain is { Mode: PretrainMode.Density } && data is not Gaussian1DDataConfig)
            throw new ConfigException($"config.pretrain.mode: 'density' needs data with a known density (gaussian1d); use 'classify'.");
        return new GanConfig(name, data, noise, generator, discriminator, objective, regularizer, train, gOpt, dOpt, pretrain, output, json);
    }

    private static DataConfig ReadData(ConfigObject o)
    {
        string type = o.String("type", null, DataTypes);
        DataConfig result = type switch
        {
            "gaussian1d" => ReadGaussian(o),
            "ring2d" or "grid2d" => ReadMixture(o, type),
            _ => ReadStored(o, type),
        };
        o.Close();
        return result;
    }

    private static Gaussian1DDataConfig ReadGaussian(ConfigObject o)
    {
        double mean = o.Number("mean", 4.0, -1e6, 1e6);
        double std = o.Number("std", 0.5, 1e-6, 1e6);
        double lo = o.Number("plot_min", mean - 8 * std - 2, -1e7, 1e7);
        double hi = o.Number("plot_max", mean + 8 * std, -1e7, 1e7);
        if (hi <= lo) throw new ConfigException($"{o.Path}.plot_max: must be greater than plot_min ({lo}).");
        return new Gaussian1DDataConfig(mean, std, lo, hi);
    }

    private static MixtureDataConfig ReadMixture(ConfigObject o, string type) => type == "ring2d"
        ? new MixtureDataConfig(type, o.Int("modes", 8, 2, 1000), o.Number("radius", 1.0, 1e-6, 1e6), 0, 0, o.Number("std", 0.01, 1e-9, 1e6))
        : new MixtureDataConfig(type, 0, 0, o.Int("side", 5, 2, 100), o.Number("spacing", 2.0, 1e-6, 1e6), o.Number("std", 0.05, 1e-9, 1e6));

    private static StoredDataConfig ReadStored(ConfigObject o, string type)
    {
        bool needsPath = type is "image-folder" or "npy";
        string? path = needsPath ? o.String("path", null) : o.String("path", "");
        int stack = o.Int("stack", 1, 1, 4);
        return new StoredDataConfig(type, string.IsNullOrEmpty(path) ? null : path,
            type == "image-folder" && o.Bool("grayscale", false),
            o.Int("validation", 1000, 0, 1 << 24), o.Int("test", 0, 0, 1 << 24), o.UInt64("split_seed", 0),
            stack, stack > 1 ? o.Int("stack_examples", 25600, 1, 1 << 20) : 0);
    }

    private static NoiseConfig ReadNoise(ConfigObject o)
    {
        var kind = o.String("type", "uniform", "uniform", "normal") == "uniform" ? NoiseKind.Uniform : NoiseKind.Normal;
        var result = new NoiseConfig(kind, o.Int("dim", null, 1, 1 << 16), (float)o.Number("scale", 1.0, 1e-9, 1e6));
        o.Close();
        return result;
    }

    private static InitConfig ReadInit(ConfigObject o)
    {
        string type = o.String("type", null, InitTypes);
        float range = 0f, std = 0f, gain = 1f;
        switch (type)
        {
            case "uniform": range = (float)o.Number("range", null, 0, 1e3); break;
            case "normal": std = (float)o.Number("std", null, 0, 1e3); break;
            case "xavier": gain = (float)o.Number("gain", 1.0, 0, 1e3); break;
        }
        o.Close();
        return new InitConfig(type, range, std, gain);
    }

    private static NetworkConfig ReadNetwork(ConfigObject o)
    {
        var initNode = o.Object("init");
        var init = initNode == null ? InitConfig.Default : ReadInit(initNode);
        var layers = o.Objects("layers").Select(ReadLayer).ToList();
        o.Close();
        return new NetworkConfig(layers, init);
    }

    private static LayerConfig ReadLayer(ConfigObject o)
    {
        string type = o.String("type", null, LayerTypes);
        int outFeatures = 0, units = 0, pieces = 0;
        bool bias = true;
        float p = 0f, slope = 0f;
        InitConfig? init = null;
        bool biasFromMarginals = false;
        int kernel = 0, stride = 1, padding = 0, outputPadding = 0, channels = 0, height = 0, width = 0;
        switch (type)
        {
            case "linear":
                outFeatures = o.Int("out", null, 1, 1 << 20);
                bias = o.Bool("bias", true);
                biasFromMarginals = o.Bool("bias_from_marginals", false);
                break;
            case "maxout":
                units = o.Int("units", null, 1, 1 << 20);
                pieces = o.Int("pieces", null, 1, 1 << 10);
                break;
            case "dropout":
                p = (float)o.Number("p", null, 0, 0.999);
                break;
            case "leaky_relu":
                slope = (float)o.Number("slope", 0.2, 0, 1);
                break;
            case "conv2d" or "conv_transpose2d":
                outFeatures = o.Int("out_channels", null, 1, 1 << 16);
                kernel = o.Int("kernel", null, 1, 64);
                stride = o.Int("stride", 1, 1, 64);
                padding = o.Int("padding", 0, 0, 64);
                if (type == "conv_transpose2d")
                {
                    outputPadding = o.Int("output_padding", 0, 0, 63);
                    if (outputPadding >= stride)
                        throw new ConfigException($"{o.Path}.output_padding: {outputPadding} must be smaller than stride ({stride}).");
                }
                bias = o.Bool("bias", true);
                break;
            case "unflatten":
                channels = o.Int("channels", null, 1, 1 << 16);
                height = o.Int("height", null, 1, 1 << 14);
                width = o.Int("width", null, 1, 1 << 14);
                break;
        }
        if (type is "linear" or "maxout" or "conv2d" or "conv_transpose2d")
        {
            var initNode = o.Object("init");
            if (initNode != null) init = ReadInit(initNode);
        }
        o.Close();
        return new LayerConfig(type, outFeatures, bias, units, pieces, p, slope, init, biasFromMarginals,
            kernel, stride, padding, outputPadding, channels, height, width);
    }

    private static OptimizerConfig ReadOptimizer(ConfigObject o)
    {
        string type = o.String("type", null, OptimizerTypes);
        float lr = (float)o.Number("lr", null, 0, 1e3);
        float weightDecay = (float)o.Number("weight_decay", 0, 0, 1e3);
        float momentum = 0f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        MomentumRampConfig? ramp = null;
        if (type == "sgd")
        {
            momentum = (float)o.Number("momentum", 0, 0, 0.9999);
            var r = o.Object("momentum_ramp");
            if (r != null)
            {
                ramp = new MomentumRampConfig((float)r.Number("final", null, 0, 0.9999), r.Int("start_epoch", null, 0), r.Int("saturate_epoch", null, 1));
                if (ramp.SaturateEpoch <= ramp.StartEpoch) throw new ConfigException($"{r.Path}.saturate_epoch: must be after start_epoch ({ramp.StartEpoch}).");
                r.Close();
            }
        }
        else
        {
            var betas = o.Numbers("betas", [0.9, 0.999], 2);
            if (betas.Any(b => b < 0 || b >= 1)) throw new ConfigException($"{o.Path}.betas: each beta must be in [0, 1).");
            (beta1, beta2) = ((float)betas[0], (float)betas[1]);
            eps = (float)o.Number("eps", 1e-8, 0, 1);
        }
        LrDecayConfig? decay = null;
        var d = o.Object("lr_decay");
        if (d != null)
        {
            decay = new LrDecayConfig((float)d.Number("factor", null, 1, 10), (float)d.Number("min_lr", 0, 0, 1e3));
            d.Close();
        }
        o.Close();
        return new OptimizerConfig(type, lr, momentum, beta1, beta2, eps, weightDecay, ramp, decay);
    }

    private static readonly string[] UpdateSchedules = ["alternating", "simultaneous"];

    private static TrainConfig ReadTrain(ConfigObject o)
    {
        var t = new TrainConfig(
            K: o.Int("k", 1, 1, 1000),
            BatchSize: o.Int("batch_size", null, 1, 1 << 20),
            Steps: o.Int("steps", null, 0, int.MaxValue),
            Seed: o.UInt64("seed", 0),
            Pack: o.Int("pack", 1, 1, 64),
            StepsPerEpoch: o.Int("steps_per_epoch", 100, 1, int.MaxValue),
            GeneratorEma: (float)o.Number("generator_ema", 0, 0, 0.999999),
            WeightClip: (float)o.Number("weight_clip", 0, 0, 1e3),
            Conditional: o.Bool("conditional", false),
            Simultaneous: o.String("updates", "alternating", UpdateSchedules) == "simultaneous");
        if (t.Simultaneous && t.K != 1) throw new ConfigException($"{o.Path}.updates: simultaneous updates take one D step per G step (k must be 1, got {t.K}).");
        if (t.Conditional && t.Pack != 1) throw new ConfigException($"{o.Path}.conditional: a conditional GAN cannot also pack samples (pack must be 1).");
        o.Close();
        return t;
    }

    private static Regularizer ReadRegularizer(ConfigObject o)
    {
        var kind = o.String("type", null, "gradient-penalty", "r1") == "r1" ? RegularizerKind.R1 : RegularizerKind.GradientPenalty;
        var r = new Regularizer(kind, (float)o.Number("weight", 10.0, 0, 1e6));
        o.Close();
        return r;
    }

    private static PretrainConfig ReadPretrain(ConfigObject o)
    {
        var p = new PretrainConfig(
            o.Int("steps", null, 0, 10_000_000),
            o.String("mode", "classify", "density", "classify") == "density" ? PretrainMode.Density : PretrainMode.Classify,
            (float)o.Number("lr", 1e-3, 0, 10));
        o.Close();
        return p;
    }

    private static OutputConfig ReadOutput(ConfigObject o)
    {
        var r = new OutputConfig(
            o.Int("log_every", 10, 1, int.MaxValue),
            o.Int("sample_every", 0, 0, int.MaxValue),
            o.Int("checkpoint_every", 0, 0, int.MaxValue),
            o.Int("keep_checkpoints", 3, 1, 1000),
            o.Bool("tensorboard", true));
        o.Close();
        return r;
    }
}
