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
        ElementwiseSplit.Run(xc.Span, m.Span, negativeSlope, static (x, y, slope) => ElementwiseKernels.StepMask(x, y, slope));
        return m;
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
