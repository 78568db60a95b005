using GanSharp.Nn;
using GanSharp.Tensors;

namespace GanSharp.Optim;

/// <summary>Base of optimizers (PyTorch's torch.optim.Optimizer): a parameter list, a learning rate, a step.</summary>
public abstract class Optimizer
{
    protected readonly Parameter[] Params;

    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        Params = parameters.ToArray();
        if (Params.Length == 0) throw new ArgumentException("The optimizer got an empty parameter list.");
        if (!(learningRate >= 0f)) throw new ArgumentException($"Learning rate must be >= 0; got {learningRate}.");
        LearningRate = learningRate;
    }

    public float LearningRate { get; set; }

    /// <summary>Number of steps taken (Adam's bias correction uses it; checkpoints save it).</summary>
    public long StepCount { get; protected set; }

    public IReadOnlyList<Parameter> Parameters => Params;

    public void ZeroGrad()
    {
        foreach (var p in Params) p.Grad?.Span.Clear();
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Params.Length; i++)
            if (Params[i].Grad is { } g) Update(i, Params[i].Span, g.Span);
    }

    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> grad);

    /// <summary>Named state buffers (momentum, moments) for checkpoints; restored by writing into them.</summary>
    public abstract IEnumerable<(string Name, Tensor Buffer)> StateBuffers();

    /// <summary>Restores the step counter when resuming from a checkpoint.</summary>
    public void RestoreStepCount(long steps) => StepCount = steps;
}
