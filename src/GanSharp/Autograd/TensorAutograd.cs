using GanSharp.Autograd;

namespace GanSharp.Tensors;

// The autograd half of Tensor: what produced it, and scratch space the backward pass uses.
public partial class Tensor
{
    internal bool _requiresGrad;
    internal OpCode _op;
    internal Tensor? _in0, _in1, _in2;
    /// <summary>A saved constant the backward rule needs (a mask, argmax indices, a target).</summary>
    internal Tensor? _aux;
    internal float _f0;
    internal int _i0, _i1, _i2;

    // Backward-pass scratch: visit stamp, gradient accumulated so far, and whether it is needed.
    internal int _visit;
    internal Tensor? _gradAcc;
    internal bool _needed;
    internal bool _isTarget;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves only; results of ops on
    /// tensors that require grad require grad themselves while <see cref="GradMode"/> is enabled.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (_op != OpCode.Leaf) throw new InvalidOperationException("RequiresGrad can only be set on leaf tensors; use Detach() to cut a result from its graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>True for tensors not produced by a recorded op (parameters, inputs, constants).</summary>
    public bool IsLeaf => _op == OpCode.Leaf;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>; kept across steps until zeroed.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Back-propagates from this scalar, accumulating into the <see cref="Grad"/> of every leaf that requires grad.</summary>
    public void Backward() => GradEngine.Backward(this, null);

    /// <summary>Back-propagates with an explicit upstream gradient of this tensor's shape.</summary>
    public void Backward(Tensor gradOutput) => GradEngine.Backward(this, gradOutput);

    /// <summary>A view of the same values that does not track gradients.</summary>
    public Tensor Detach()
    {
        var v = ViewOf(_shape);
        v._strides = _strides;
        return v;
    }

    /// <summary>Clears everything so the object can be reused by the pool; later use throws.</summary>
    internal void ResetForPool()
    {
        _storage = [];
        _offset = 0;
        _ownsStorage = false;
        _released = true;
        _requiresGrad = false;
        _op = OpCode.Leaf;
        _in0 = _in1 = _in2 = _aux = null;
        _gradAcc = null;
        _needed = _isTarget = false;
        Grad = null;
    }

    /// <summary>Marks <paramref name="result"/> as produced by <paramref name="op"/> when any input requires grad.</summary>
    internal static Tensor Record(Tensor result, OpCode op, Tensor a, Tensor? b = null, Tensor? c = null)
    {
        if (GradMode.IsEnabled && (a._requiresGrad || (b != null && b._requiresGrad) || (c != null && c._requiresGrad)))
        {
            result._requiresGrad = true;
            result._op = op;
            result._in0 = a;
            result._in1 = b;
            result._in2 = c;
        }
        return result;
    }
}
