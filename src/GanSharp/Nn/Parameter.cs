using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>A learnable leaf tensor owned by a module (never pooled, always requires grad).</summary>
public sealed class Parameter : Tensor
{
    public Parameter(params ReadOnlySpan<int> shape) : this(new Shape(shape)) { }

    public Parameter(in Shape shape)
    {
        _storage = new float[shape.Length];
        _shape = shape;
        _ownsStorage = true;
        SetContiguousStrides();
        RequiresGrad = true;
    }
}
