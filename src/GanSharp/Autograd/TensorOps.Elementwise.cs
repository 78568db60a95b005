using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using GanSharp.Autograd;
using GanSharp.Kernels;

namespace GanSharp.Tensors;

// Elementwise ops. Each records itself for autograd; the rules are in BackwardRules.
public partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Binary(BinaryOp.Add, OpCode.Add, a, b, "add");
    public static Tensor operator -(Tensor a, Tensor b) => Binary(BinaryOp.Sub, OpCode.Sub, a, b, "sub");
    public static Tensor operator *(Tensor a, Tensor b) => Binary(BinaryOp.Mul, OpCode.Mul, a, b, "mul");
    public static Tensor operator /(Tensor a, Tensor b) => Binary(BinaryOp.Div, OpCode.Div, a, b, "div");

    public static Tensor operator +(Tensor a, float s) => a.AddScalar(s);
    public static Tensor operator +(float s, Tensor a) => a.AddScalar(s);
    public static Tensor operator -(Tensor a, float s) => a.AddScalar(-s);
    public static Tensor operator -(float s, Tensor a) => a.Neg().AddScalar(s);
    public static Tensor operator *(Tensor a, float s) => a.MulScalar(s);
    public static Tensor operator *(float s, Tensor a) => a.MulScalar(s);
    public static Tensor operator /(Tensor a, float s) => a.MulScalar(1f / s);
    public static Tensor operator /(float s, Tensor a) => a.Pow(-1f).MulScalar(s);
    public static Tensor operator -(Tensor a) => a.Neg();

    private static Tensor Binary(BinaryOp kernel, OpCode op, Tensor a, Tensor b, string name)
    {
        var shape = Shape.Broadcast(a.Shape, b.Shape, name);
        var ac = a.Contiguous();
        var bc = b.Contiguous();
        var r = Allocate(shape, zero: false);
        BroadcastKernels.Binary(kernel, ac.Span, ac.Shape, bc.Span, bc.Shape, r.Span, shape);
        return Record(r, op, ac, bc);
    }

    /// <summary>Applies a span kernel to a contiguous copy of this tensor into a new tensor.</summary>
    private Tensor Map(OpCode op, ElementwiseSplit.Unary kernel, float arg = 0)
    {
        var x = Contiguous();
        var r = Allocate(x.Shape, zero: false);
        ElementwiseSplit.Run(x.Span, r.Span, arg, kernel);
        r._f0 = arg;
        return Record(r, op, x);
    }

    // Static lambdas are cached by the compiler, so these allocate nothing per call.
    public Tensor AddScalar(float s) => Map(OpCode.AddScalar, static (x, y, a) => TensorPrimitives.Add(x, a, y), s);
    public Tensor MulScalar(float s) => Map(OpCode.MulScalar, static (x, y, a) => TensorPrimitives.Multiply(x, a, y), s);
    public Tensor Neg() => Map(OpCode.Neg, static (x, y, _) => TensorPrimitives.Negate(x, y));
    public Tensor Exp() => Map(OpCode.Exp, static (x, y, _) => TensorPrimitives.Exp(x, y));
    public Tensor Log() => Map(OpCode.Log, static (x, y, _) => TensorPrimitives.Log(x, y));
    public Tensor Sqrt() => Map(OpCode.Sqrt, static (x, y, _) => TensorPrimitives.Sqrt(x, y));
    public Tensor Abs() => Map(OpCode.Abs, static (x, y, _) => TensorPrimitives.Abs(x, y));
    public Tensor Sigmoid() => Map(OpCode.Sigmoid, static (x, y, _) => TensorPrimitives.Sigmoid(x, y));
    public Tensor Tanh() => Map(OpCode.Tanh, static (x, y, _) => TensorPrimitives.Tanh(x, y));
    public Tensor Relu() => Map(OpCode.Relu, static (x, y, _) => TensorPrimitives.Max(x, 0f, y));
    public Tensor Softplus() => Map(OpCode.Softplus, static (x, y, _) => ElementwiseKernels.Softplus(x, y));
    public Tensor Square() => this * this;

    /// <summary>x^p for a constant exponent.</summary>
    public Tensor Pow(float p) => Map(OpCode.PowScalar, static (x, y, a) =>
    {
        if (a == 2f) TensorPrimitives.Multiply(x, x, y);
        else TensorPrimitives.Pow(x, a, y);
    }, p);

    /// <summary>max(x, slope * x), PyTorch's default slope 0.01.</summary>
    public Tensor LeakyRelu(float slope = 0.01f) => Map(OpCode.LeakyRelu, static (x, y, a) => ElementwiseKernels.LeakyRelu(x, y, a), slope);

    /// <summary>log(sigmoid(x)) = -softplus(-x), stable for large |x|.</summary>
    public Tensor LogSigmoid() => Neg().Softplus().Neg();

    /// <summary>Clamps to [min, max]; the gradient passes only where the value was inside.</summary>
    public Tensor Clamp(float min, float max)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var x = Contiguous();
        var r = Allocate(x.Shape, zero: false);
        TensorPrimitives.Max(x.Span, min, r.Span);
        TensorPrimitives.Min(r.Span, max, r.Span);
        r._aux = Masks.Inside(x, min, max);
        return Record(r, OpCode.Clamp, x);
    }

    /// <summary>
    /// Picks <paramref name="a"/> where <paramref name="condition"/> is non-zero, else <paramref name="b"/>.
    /// The condition is a constant; a and b have its shape or hold one element.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var c = condition.Contiguous();
        var ac = a.Contiguous();
        var bc = b.Contiguous();
        if ((ac.Length != 1 && ac.Shape != c.Shape) || (bc.Length != 1 && bc.Shape != c.Shape))
            throw new ArgumentException($"where: condition {c.Shape}, a {ac.Shape} and b {bc.Shape} must match (or a/b hold one element).");
        var r = Allocate(c.Shape, zero: false);
        ElementwiseKernels.Select(c.Span, ac.Span, bc.Span, r.Span);
        r._aux = c;
        return Record(r, OpCode.Where, ac, bc);
    }
}
