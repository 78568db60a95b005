using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// Base of all layers, shaped like PyTorch's nn.Module: it owns parameters and child modules
/// (registered by name, so names match PyTorch's state_dict keys), and has train/eval modes.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Parameter Value)> _parameters = [];
    private readonly List<(string Name, Module Value)> _children = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];

    /// <summary>True in training mode (dropout active, batch statistics); see <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    public abstract Tensor Forward(Tensor input);

    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers state that is saved with the parameters but not learned (batch-norm running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        _buffers.Add((name, buffer));
        return buffer;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>All parameters, depth first, in registration order (the order optimizers and checkpoints use).</summary>
    public List<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter).ToList();

    /// <summary>Parameters with dotted names such as "0.weight", as PyTorch's named_parameters().</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return (prefix + name, p);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedParameters(prefix + name + "."))
                yield return item;
    }

    /// <summary>Buffers with dotted names such as "1.running_mean", as PyTorch's named_buffers(); checkpoints save them.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return (prefix + name, b);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedBuffers(prefix + name + "."))
                yield return item;
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    public int ParameterCount => NamedParameters().Sum(p => p.Parameter.Length);

    /// <summary>Sets training mode on this module and all children (PyTorch's train()).</summary>
    public Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var (_, child) in _children) child.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode: dropout off, running statistics (PyTorch's eval()).</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Sets RequiresGrad on every parameter (PyTorch's requires_grad_()). Freezing one GAN player while
    /// the other trains skips its weight gradients, which would only be discarded.
    /// </summary>
    public Module RequiresGrad(bool value)
    {
        // Walks the lists directly (no iterator): the trainer calls this twice per step and steps allocate nothing.
        foreach (var (_, p) in _parameters) p.RequiresGrad = value;
        foreach (var (_, child) in _children) child.RequiresGrad(value);
        return this;
    }

    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.Grad?.Span.Clear();
    }
}
