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

    public static GanTrainer CreateTrainer(GanConfig config)
    {
        var initRng = new Rng(config.Train.Seed);
        var trainRng = new Rng(config.Train.Seed ^ TrainingStream);
        var data = CreateData(config.Data);
        var g = BuildNetwork(config.Generator, config.Noise.Dimension, data.Dimension, "generator", initRng, trainRng);
        var d = BuildNetwork(config.Discriminator, data.Dimension * config.Train.Pack, 1, "discriminator", initRng, trainRng);
        return new GanTrainer(
            CreatePlayer(g, config.GeneratorOptimizer),
            CreatePlayer(d, config.DiscriminatorOptimizer),
            data,
            new NoisePrior(config.Noise.Kind, config.Noise.Dimension, config.Noise.Scale),
            GanObjective.Create(config.Objective),
            config.Train.K, config.Train.BatchSize, trainRng, config.Train.StepsPerEpoch, config.Train.Pack);
    }

    public static IDataSource CreateData(DataConfig config) => config switch
    {
        Gaussian1DDataConfig g => new Gaussian1D(g.Mean, g.Std),
        _ => throw new ConfigException($"config.data.type: '{config.Type}' is not supported."),
    };

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

    /// <summary>A Sequential from layer specs, checking that sizes chain from <paramref name="inputs"/> to <paramref name="outputs"/>.</summary>
    public static Sequential BuildNetwork(NetworkConfig config, int inputs, int outputs, string name, Rng initRng, Rng trainRng)
    {
        var layers = new List<Module>();
        int width = inputs;
        for (int i = 0; i < config.Layers.Count; i++)
        {
            var l = config.Layers[i];
            var init = l.Init ?? config.Init;
            switch (l.Type)
            {
                case "linear":
                    var linear = new Linear(width, l.Out, l.Bias, initRng);
                    Initialise(linear.Weight, linear.Bias, init, initRng);
                    layers.Add(linear);
                    width = l.Out;
                    break;
                case "maxout":
                    var maxout = new Maxout(width, l.Units, l.Pieces, initRng);
                    Initialise(maxout.Weight, maxout.Bias, init, initRng);
                    layers.Add(maxout);
                    width = l.Units;
                    break;
                case "dropout": layers.Add(new Dropout(l.P, trainRng)); break;
                case "relu": layers.Add(new ReLU()); break;
                case "leaky_relu": layers.Add(new LeakyReLU(l.Slope)); break;
                case "sigmoid": layers.Add(new Sigmoid()); break;
                case "tanh": layers.Add(new Tanh()); break;
                case "softplus": layers.Add(new Softplus()); break;
                default: throw new ConfigException($"config.{name}.layers[{i}].type: unknown layer '{l.Type}'.");
            }
        }
        if (width != outputs)
            throw new ConfigException($"config.{name}.layers: the last layer gives {width} features but the {name} must output {outputs}" +
                (name == "discriminator" ? " (one logit per example; the sigmoid is part of the objective)." : " (the data dimension)."));
        return new Sequential(layers.ToArray());
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
