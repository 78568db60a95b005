using System.Diagnostics;
using GanSharp.Autograd;
using GanSharp.Data;
using GanSharp.Nn;
using GanSharp.Optim;
using GanSharp.Tensors;

namespace GanSharp.Gan;

/// <summary>
/// Algorithm 1 of Goodfellow et al. 2014: each iteration takes k discriminator steps (each on a
/// minibatch of real data and a minibatch of G(z)), then one generator step on fresh noise.
/// The trainer prints nothing: it raises events that the CLI, tests and writers observe.
/// Every step runs inside a <see cref="TensorScope"/>, so a warm step allocates nothing.
/// </summary>
public sealed class GanTrainer
{
    private readonly Tensor _real, _noise;
    private readonly Stopwatch _clock = new();
    private static readonly MinimaxObjective ClassifierLoss = new(nonSaturating: true);
    private readonly Func<Tensor, Tensor> _judge;
    private readonly int[]? _labels;          // conditional GAN: this batch's real labels
    private readonly Tensor? _realLabels;     // ... and their one-hot rows // cached so the penalty call allocates no delegate

    public Player Generator { get; }
    public Player Discriminator { get; }
    public IDataSource Data { get; }
    public NoisePrior Noise { get; }
    public GanObjective Objective { get; }
    public int K { get; }
    public int BatchSize { get; }
    /// <summary>Minibatches per epoch, for epoch-based schedules (momentum ramp).</summary>
    public int StepsPerEpoch { get; }
    public Rng Rng { get; }
    /// <summary>Input-gradient penalty added to the discriminator's loss (WGAN-GP, R1), or none.</summary>
    public Regularizer Regularizer { get; init; } = Regularizer.None;

    /// <summary>WGAN weight clipping: after each D step every D weight is clamped to [-c, c]; 0 = off.</summary>
    public float WeightClip { get; init; }

    /// <summary>
    /// The authors' code (goodfeli/adversarial, AdversaryCost2) rather than Algorithm 1 as printed:
    /// both players' gradients come from one minibatch of G(z) judged once (one dropout mask), at the
    /// same parameters, and both are applied together. Needs k = 1.
    /// </summary>
    public bool Simultaneous
    {
        get => _simultaneous;
        init
        {
            if (value && K != 1) throw new ArgumentException($"Simultaneous updates take one D step per G step (k = 1); got k = {K}.");
            _simultaneous = value;
        }
    }
    private readonly bool _simultaneous;

    /// <summary>PacGAN packing degree m: the discriminator judges m samples at once (1 = the plain GAN).</summary>
    public int Pack { get; }

    /// <summary>The weight-averaged generator, when training keeps one.</summary>
    public ExponentialMovingAverage? GeneratorAverage { get; }

    /// <summary>The generator to sample from: the averaged one when kept, else the trained one.</summary>
    public Module SamplingGenerator => GeneratorAverage?.Average ?? Generator.Network;

    /// <summary>Iterations completed so far.</summary>
    public int Step { get; private set; }

    public event Action<StepMetrics>? StepCompleted;

    /// <summary>Raised after every <see cref="EvaluationEvery"/>-th step (sample grids, metrics), with the step.</summary>
    public event Action<int>? EvaluationDue;

    /// <summary>Raised after every <see cref="CheckpointEvery"/>-th step, with the step.</summary>
    public event Action<int>? CheckpointDue;

    /// <summary>Steps between <see cref="EvaluationDue"/> events; 0 = never.</summary>
    public int EvaluationEvery { get; init; }

    /// <summary>Steps between <see cref="CheckpointDue"/> events; 0 = never.</summary>
    public int CheckpointEvery { get; init; }

    public GanTrainer(Player generator, Player discriminator, IDataSource data, NoisePrior noise, GanObjective objective,
        int k, int batchSize, Rng rng, int stepsPerEpoch = 100, int pack = 1, ExponentialMovingAverage? generatorAverage = null)
    {
        if (pack < 1 || batchSize % pack != 0)
            throw new ArgumentException($"pack must be >= 1 and divide the batch size {batchSize}; got {pack}.");
        if (k < 1) throw new ArgumentException($"k (discriminator steps per generator step) must be >= 1; got {k}.");
        if (batchSize < 1) throw new ArgumentException($"Batch size must be >= 1; got {batchSize}.");
        Generator = generator;
        Discriminator = discriminator;
        Data = data;
        Noise = noise;
        Objective = objective;
        K = k;
        BatchSize = batchSize;
        Rng = rng;
        StepsPerEpoch = Math.Max(1, stepsPerEpoch);
        Pack = pack;
        GeneratorAverage = generatorAverage;
        if (noise.IsConditional)
        {
            if (data is not ILabelledDataSource labelled || labelled.ClassCount != noise.Classes)
                throw new ArgumentException($"A conditional GAN needs labelled data with {noise.Classes} classes.");
            if (pack != 1) throw new ArgumentException("A conditional GAN cannot also pack samples (pack must be 1).");
            _labels = new int[batchSize];
            _realLabels = Tensor.Persistent(new Shape(batchSize, noise.Classes));
        }
        _real = Tensor.Persistent(new Shape(batchSize, data.Dimension));
        _judge = Judge;
        _noise = Tensor.Persistent(new Shape(batchSize, noise.Dimension));
    }

    /// <summary>Restores the iteration counter when resuming.</summary>
    public void RestoreStep(int step) => Step = step;

    /// <summary>One iteration of Algorithm 1; returns its metrics and raises <see cref="StepCompleted"/>.</summary>
    public StepMetrics TrainStep()
    {
        _clock.Restart();
        double epoch = (double)Step / StepsPerEpoch;
        Generator.MomentumRamp?.Update(epoch);
        Discriminator.MomentumRamp?.Update(epoch);

        if (Simultaneous) return Finish(SimultaneousStep());

        float dLoss = 0, dReal = 0, dFake = 0;
        for (int i = 0; i < K; i++)
        {
            using var _ = TensorScope.Begin();
            NextRealBatch();
            Noise.Fill(_noise.Span, Rng);
            Tensor fake;
            using (GradMode.NoGrad()) fake = Generator.Network.Forward(_noise);

            Discriminator.Optimizer.ZeroGrad();
            var realLogits = Judge(Condition(_real, _realLabels));
            var fakeLogits = Judge(Condition(fake, _noise));
            var loss = Objective.DiscriminatorLoss(realLogits, fakeLogits);
            if (Regularizer.Penalty(_judge, Condition(_real, _realLabels), Condition(fake, _noise), Rng) is { } penalty) loss += penalty;
            loss.Backward();
            Discriminator.Step();
            if (WeightClip > 0) Discriminator.ClampWeights(WeightClip);
            dLoss = loss.Item();
            ThrowIfDiverged(dLoss, "discriminator", Discriminator);
            dReal = MeanOutput(realLogits);
            dFake = MeanOutput(fakeLogits);
        }

        float gLoss;
        using (TensorScope.Begin())
        {
            Noise.Fill(_noise.Span, Rng);
            Generator.Optimizer.ZeroGrad();
            Discriminator.Network.RequiresGrad(false);
            try
            {
                var loss = Objective.GeneratorLoss(Judge(Condition(Generator.Network.Forward(_noise), _noise)));
                loss.Backward();
                gLoss = loss.Item();
            }
            finally { Discriminator.Network.RequiresGrad(true); }
            Generator.Step();
            ThrowIfDiverged(gLoss, "generator", Generator);
            GeneratorAverage?.Update();
        }

        return Finish(new StepMetrics(Step + 1, dLoss, gLoss, dReal, dFake, 0));
    }

    private StepMetrics SimultaneousStep()
    {
        using var _ = TensorScope.Begin();
        NextRealBatch();
        Noise.Fill(_noise.Span, Rng);
        var fake = Condition(Generator.Network.Forward(_noise), _noise);
        // D judges a detached copy, so D's loss never walks back into G; G's gradient reaches G through fake.Backward.
        var judged = fake.Detach();
        judged.RequiresGrad = true;
        var real = Condition(_real, _realLabels);
        var realLogits = Judge(real);
        var fakeLogits = Judge(judged);
        var gLossTensor = Objective.GeneratorLoss(fakeLogits);
        var dLossTensor = Objective.DiscriminatorLoss(realLogits, fakeLogits);
        if (Regularizer.Penalty(_judge, real, judged, Rng) is { } penalty) dLossTensor += penalty;

        Discriminator.Optimizer.ZeroGrad();
        Generator.Optimizer.ZeroGrad();
        var fakeGrad = GradEngine.Grad(gLossTensor, judged);   // at D's current weights, before either step
        judged.RequiresGrad = false;
        dLossTensor.Backward();
        fake.Backward(fakeGrad);
        float dLoss = dLossTensor.Item(), gLoss = gLossTensor.Item();
        Discriminator.Step();
        if (WeightClip > 0) Discriminator.ClampWeights(WeightClip);
        ThrowIfDiverged(dLoss, "discriminator", Discriminator);
        Generator.Step();
        ThrowIfDiverged(gLoss, "generator", Generator);
        GeneratorAverage?.Update();
        return new StepMetrics(Step + 1, dLoss, gLoss, MeanOutput(realLogits), MeanOutput(fakeLogits), 0);
    }

    private StepMetrics Finish(StepMetrics metrics)
    {
        Step++;
        metrics = metrics with { Seconds = _clock.Elapsed.TotalSeconds };
        StepCompleted?.Invoke(metrics);
        if (EvaluationEvery > 0 && Step % EvaluationEvery == 0) EvaluationDue?.Invoke(Step);
        if (CheckpointEvery > 0 && Step % CheckpointEvery == 0) CheckpointDue?.Invoke(Step);
        return metrics;
    }

    /// <summary>Stops the run in the step where a loss or a weight stops being finite, before it is reported or saved.</summary>
    private void ThrowIfDiverged(float loss, string side, Player player)
    {
        if (!float.IsFinite(loss)) throw new TrainingDivergedException(Step + 1, $"the {side} loss is {(float.IsNaN(loss) ? "NaN" : "infinite")}");
        if (player.FirstNonFiniteParameter() is { } name)
            throw new TrainingDivergedException(Step + 1, $"parameter {side}.{name} holds NaN or Inf after the update");
    }

    private void NextRealBatch()
    {
        if (_labels == null)
        {
            Data.NextBatch(_real.Span, BatchSize, Rng);
            return;
        }
        ((ILabelledDataSource)Data).NextBatch(_real.Span, _labels, BatchSize);
        var oneHot = _realLabels!.Span;
        oneHot.Clear();
        for (int i = 0; i < _labels.Length; i++) oneHot[i * Noise.Classes + _labels[i]] = 1f;
    }

    /// <summary>
    /// For a conditional GAN, the discriminator sees each example with its one-hot label appended
    /// (the label columns of <paramref name="labels"/>: real labels, or the generator input's own).
    /// </summary>
    private Tensor Condition(Tensor examples, Tensor? labels)
    {
        if (!Noise.IsConditional) return examples;
        var oneHot = labels!.Shape[1] == Noise.Classes ? labels : labels.Slice(1, Noise.LatentDimension, Noise.Classes);
        return Tensor.Concat(examples, oneHot, 1);
    }

    /// <summary>The discriminator's logits for a batch; with packing, m samples form one input row (a view, no copy).</summary>
    public Tensor Judge(Tensor batch) =>
        Discriminator.Network.Forward(Pack == 1 ? batch : batch.Reshape(batch.Shape[0] / Pack, -1));

    /// <summary>Mean D(x): sigmoid of the logits for probability objectives, else the mean critic score.</summary>
    private float MeanOutput(Tensor logits)
    {
        var s = logits.Span;
        double sum = 0;
        bool probability = Objective.OutputsProbability;
        for (int i = 0; i < s.Length; i++) sum += probability ? 1.0 / (1.0 + Math.Exp(-s[i])) : s[i];
        return (float)(sum / s.Length);
    }

    /// <summary>
    /// Trains the discriminator alone before the game, with its own Adam optimizer, and returns
    /// the loss of each step. Density mode needs a data source with a known density and a range
    /// of x to regress over.
    /// </summary>
    public float[] PretrainDiscriminator(int steps, PretrainMode mode, float learningRate, (float Low, float High) range = default)
    {
        var density = Data as IDensity;
        if (mode == PretrainMode.Density && (density == null || Data.Dimension != 1))
            throw new InvalidOperationException("Density pre-training needs 1-D data with a known density (such as gaussian1d); use mode 'classify'.");
        var optimizer = new Adam(Discriminator.Parameters, learningRate, 0.5f, 0.999f);
        var losses = new float[steps];
        // With packing, each of the BatchSize / Pack judged rows holds one x repeated in every slot.
        int rows = BatchSize / Pack;
        var target = Tensor.Persistent(new Shape(rows, 1));
        for (int s = 0; s < steps; s++)
        {
            using var _ = TensorScope.Begin();
            optimizer.ZeroGrad();
            Tensor loss;
            if (mode == PretrainMode.Density)
            {
                var x = _real.Span;
                var t = target.Span;
                for (int i = 0; i < rows; i++)
                {
                    float xi = range.Low + (range.High - range.Low) * Rng.NextFloat();
                    x.Slice(i * Pack, Pack).Fill(xi);
                    t[i] = (float)Math.Min(1.0, density!.Density(x.Slice(i * Pack, 1)));
                }
                loss = Losses.Mse(Judge(_real).Sigmoid(), target);
            }
            else
            {
                Data.NextBatch(_real.Span, BatchSize, Rng);
                Noise.Fill(_noise.Span, Rng);
                Tensor fake;
                using (GradMode.NoGrad()) fake = Generator.Network.Forward(_noise);
                loss = ClassifierLoss.DiscriminatorLoss(Judge(_real), Judge(fake));
            }
            loss.Backward();
            optimizer.Step();
            losses[s] = loss.Item();
        }
        Discriminator.Optimizer.ZeroGrad();
        return losses;
    }
}
