namespace GanSharp.Gan.Config;

/// <summary>Everything a run needs, read strictly from JSON (see <see cref="GanConfigReader"/>).</summary>
public sealed record GanConfig(
    string Name,
    DataConfig Data,
    NoiseConfig Noise,
    NetworkConfig Generator,
    NetworkConfig Discriminator,
    string Objective,
    Regularizer Regularizer,
    TrainConfig Train,
    OptimizerConfig GeneratorOptimizer,
    OptimizerConfig DiscriminatorOptimizer,
    PretrainConfig? Pretrain,
    OutputConfig Output,
    string Json);

public abstract record DataConfig(string Type);

/// <summary>
/// A stored dataset: mnist, fashion-mnist, mnist10k, cifar10 (found by name), or image-folder / npy
/// (at Path). Validation examples are held out of training for choosing the Parzen sigma; Test
/// examples are held out too when the dataset has no test split of its own.
/// Stack > 1 makes Stacked MNIST of a one-channel labelled set: StackExamples examples of Stack random digits as channels.
/// </summary>
public sealed record StoredDataConfig(string Type, string? Path, bool Grayscale, int Validation, int Test, ulong SplitSeed, int Stack = 1, int StackExamples = 0) : DataConfig(Type);

/// <summary>A 2-D Gaussian mixture for the mode-collapse study: ring2d (modes on a circle) or grid2d (side x side).</summary>
public sealed record MixtureDataConfig(string Type, int Modes, double Radius, int Side, double Spacing, double Std) : DataConfig(Type);

/// <summary>x ~ N(mean, std^2); plots span [plot_min, plot_max].</summary>
public sealed record Gaussian1DDataConfig(double Mean, double Std, double PlotMin, double PlotMax) : DataConfig("gaussian1d");

public sealed record NoiseConfig(NoiseKind Kind, int Dimension, float Scale);

public sealed record InitConfig(string Type, float Range, float Std, float Gain)
{
    public static readonly InitConfig Default = new("default", 0f, 0f, 1f);
}

/// <summary>
/// One layer. Out is a linear layer's features or a convolution's out_channels; Kernel, Stride, Padding
/// and OutputPadding describe convolutions; Channels, Height and Width are what "unflatten" makes of the features.
/// </summary>
public sealed record LayerConfig(string Type, int Out, bool Bias, int Units, int Pieces, float P, float Slope, InitConfig? Init, bool BiasFromMarginals = false,
    int Kernel = 0, int Stride = 1, int Padding = 0, int OutputPadding = 0, int Channels = 0, int Height = 0, int Width = 0);

public sealed record NetworkConfig(IReadOnlyList<LayerConfig> Layers, InitConfig Init);

public sealed record MomentumRampConfig(float Final, int StartEpoch, int SaturateEpoch);

public sealed record LrDecayConfig(float Factor, float MinLr);

public sealed record OptimizerConfig(string Type, float Lr, float Momentum, float Beta1, float Beta2, float Epsilon, float WeightDecay,
    MomentumRampConfig? MomentumRamp, LrDecayConfig? LrDecay);

public sealed record TrainConfig(int K, int BatchSize, int Steps, ulong Seed, int Pack, int StepsPerEpoch, float GeneratorEma, float WeightClip, bool Conditional,
    bool Simultaneous = false);

public sealed record PretrainConfig(int Steps, PretrainMode Mode, float Lr);

/// <param name="TensorBoard">Also write metrics and sample grids as a TensorBoard event file in the run folder.</param>
public sealed record OutputConfig(int LogEvery, int SampleEvery, int CheckpointEvery, int KeepCheckpoints, bool TensorBoard);
