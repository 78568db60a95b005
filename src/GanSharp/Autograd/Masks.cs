using GanSharp.Kernels;
using GanSharp.Tensors;

namespace GanSharp.Autograd;

/// <summary>Constant masks that backward rules multiply by; they carry no gradient themselves.</summary>
internal static class Masks
{
    public static Tensor Step(Tensor x, float negativeSlope)
    {
        var xc = x.Contiguous();
        var m = Tensor.Allocate(xc.Shape, zero: false);
        ElementwiseSplit.Run(xc.Span, m.Span, negativeSlope, static (x, y, slope) => ElementwiseKernels.StepProduct(default, x, y, slope));
        return m;
    }

    /// <summary>
    /// g * Step(x, negativeSlope): in one pass when no graph is being recorded (the same products); while one is
    /// (a gradient to be differentiated again), the recorded product of g with the constant mask.
    /// </summary>
    public static Tensor StepProduct(Tensor g, Tensor x, float negativeSlope)
    {
        if (GradMode.IsEnabled || g.Shape != x.Shape) return g * Step(x, negativeSlope);
        var gc = g.Contiguous();
        var xc = x.Contiguous();
        var y = Tensor.Allocate(xc.Shape, zero: false);
        ElementwiseSplit.Run(gc.Span, xc.Span, y.Span, negativeSlope, static (g, x, y, slope) => ElementwiseKernels.StepProduct(g, x, y, slope));
        return y;
    }

    public static Tensor Inside(Tensor x, float min, float max)
    {
        var xc = x.Contiguous();
        var m = Tensor.Allocate(xc.Shape, zero: false);
        ElementwiseKernels.InsideMask(xc.Span, m.Span, min, max);
        return m;
    }

    public static Tensor Sign(Tensor x)
    {
        var xc = x.Contiguous();
        var m = Tensor.Allocate(xc.Shape, zero: false);
        ElementwiseKernels.Sign(xc.Span, m.Span);
        return m;
    }
}
