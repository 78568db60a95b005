using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GanSharp.Tensors;

namespace GanSharp.Autograd;

/// <summary>
/// Reverse-mode differentiation over the graph recorded in the tensors. Backward rules are
/// written with differentiable ops, so with <c>createGraph</c> the gradients are themselves
/// recorded and can be differentiated again (gradient penalties).
/// </summary>
public static class GradEngine
{
    [ThreadStatic] private static List<Tensor>? _order;
    [ThreadStatic] private static Stack<Tensor>? _stack;
    [ThreadStatic] private static Stack<int>? _childIndex;
    [ThreadStatic] private static int _stamp;

    internal static void Backward(Tensor output, Tensor? gradOutput)
    {
        if (!output._requiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require grad (no input of its graph requires grad, or it was computed under NoGrad).");
        using var _ = GradMode.NoGrad();
        var order = TopologicalOrder(output);
        foreach (var t in order) t._needed = true;
        Propagate(output, gradOutput, order, accumulateLeaves: true);
    }

    /// <summary>
    /// d output / d input (PyTorch's torch.autograd.grad for one output and one input). Leaves'
    /// <see cref="Tensor.Grad"/> are not touched. With <paramref name="createGraph"/> the result can be differentiated.
    /// </summary>
    public static Tensor Grad(Tensor output, Tensor input, bool createGraph = false, Tensor? gradOutput = null)
    {
        Span<Tensor?> result = [null];
        Grad([output], [input], result, createGraph, gradOutput);
        return result[0]!;
    }

    /// <summary>Gradients of one output with respect to several inputs; an input the output does not depend on gets zeros.</summary>
    public static void Grad(ReadOnlySpan<Tensor> outputs, ReadOnlySpan<Tensor> inputs, Span<Tensor?> results,
        bool createGraph = false, Tensor? gradOutput = null)
    {
        if (outputs.Length != 1) throw new ArgumentException("Grad takes exactly one output tensor.");
        if (results.Length != inputs.Length) throw new ArgumentException("Grad: results must have one slot per input.");
        var output = outputs[0];
        foreach (var x in inputs)
            if (!x._requiresGrad) throw new InvalidOperationException($"Grad: an input of shape {x.Shape} does not require grad.");
        if (!output._requiresGrad) throw new InvalidOperationException("Grad: the output does not require grad.");

        using var mode = createGraph ? GradMode.EnableGrad() : GradMode.NoGrad();
        foreach (var x in inputs) x._isTarget = true;
        try
        {
            var order = TopologicalOrder(output);
            // Inputs come before their consumers in the order, so one forward sweep marks what leads to a target.
            foreach (var t in order)
                t._needed = t._isTarget || (t._in0?._needed ?? false) || (t._in1?._needed ?? false) || (t._in2?._needed ?? false);
            for (int i = 0; i < inputs.Length; i++) inputs[i]._gradAcc = null;
            Propagate(output, gradOutput, order, accumulateLeaves: false, inputs, results);
        }
        finally
        {
            foreach (var x in inputs) x._isTarget = false;
        }
    }

    private static void Propagate(Tensor output, Tensor? gradOutput, List<Tensor> order, bool accumulateLeaves,
        ReadOnlySpan<Tensor> targets = default, Span<Tensor?> results = default)
    {
        if (gradOutput == null && output.Length != 1)
            throw new InvalidOperationException($"Backward: a gradient can be created implicitly only for a one-element output; this one has shape {output.Shape}. Pass gradOutput.");
        if (gradOutput != null && gradOutput.Shape != output.Shape)
            throw new ArgumentException($"Backward: gradOutput shape {gradOutput.Shape} differs from output shape {output.Shape}.");
        output._gradAcc = gradOutput ?? Tensor.Full(output.Shape, 1f);
        // Gradients made during this pass die as soon as they have been passed on; their storage goes back to the
        // pool at once, so the next gradient of that size reuses memory still in cache (not with createGraph:
        // then gradients are part of a graph).
        long firstRent = GradMode.IsEnabled ? long.MaxValue : TensorScope.RentStamp;

        try
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                var g = t._gradAcc;
                if (g == null || !t._needed) continue;
                if (t._op == OpCode.Leaf)
                {
                    if (accumulateLeaves) AccumulateLeaf(t, g);
                }
                else BackwardRules.Apply(t, g);
                if (g._rentStamp > firstRent && !t._isTarget)
                {
                    t._gradAcc = null;
                    RecycleIfUnused(g, order);
                }
            }
            for (int i = 0; i < targets.Length; i++)
                results[i] = targets[i]._gradAcc ?? Tensor.Zeros(targets[i].Shape);
        }
        finally
        {
            foreach (var t in order) { t._gradAcc = null; t._needed = false; }
        }
    }

    /// <summary>Recycles a spent gradient unless a pending gradient (a view, or the same tensor passed to two inputs) shares its storage.</summary>
    private static void RecycleIfUnused(Tensor g, List<Tensor> order)
    {
        var storage = g._storage;
        foreach (var t in order)
            if (t._gradAcc != null && ReferenceEquals(t._gradAcc._storage, storage)) return;
        TensorScope.Recycle(g);
    }

    /// <summary>Adds a contribution to a tensor's gradient (out of place: rules may return shared tensors).</summary>
    internal static void Accumulate(Tensor? input, Tensor? grad)
    {
        if (input == null || grad == null || !input._needed) return;
        if (grad.Shape != input.Shape)
            throw new InvalidOperationException($"Internal autograd error: gradient shape {grad.Shape} for input shape {input.Shape}.");
        input._gradAcc = input._gradAcc == null ? grad : input._gradAcc + grad;
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        // Leaf gradients persist across steps, so they live outside any TensorScope.
        leaf.Grad ??= Tensor.Persistent(leaf.Shape);
        var src = g.IsContiguous ? g : g.Contiguous();
        TensorPrimitives.Add(leaf.Grad.Span, src.Span, leaf.Grad.Span);
    }

    /// <summary>Nodes reachable from <paramref name="root"/> that require grad, inputs before consumers.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = _order ??= new List<Tensor>(256);
        var stack = _stack ??= new Stack<Tensor>(256);
        var childIndex = _childIndex ??= new Stack<int>(256);
        order.Clear();
        int stamp = ++_stamp;

        root._visit = stamp;
        stack.Push(root);
        childIndex.Push(0);
        while (stack.Count > 0)
        {
            var node = stack.Peek();
            int next = childIndex.Pop();
            Tensor? child = next switch { 0 => node._in0, 1 => node._in1, 2 => node._in2, _ => null };
            if (next > 2)
            {
                stack.Pop();
                order.Add(node);
                continue;
            }
            childIndex.Push(next + 1);
            if (child != null && child._requiresGrad && child._visit != stamp)
            {
                child._visit = stamp;
                stack.Push(child);
                childIndex.Push(0);
            }
        }
        return order;
    }
}
