using GanSharp.Kernels;
using GanSharp.Tensors;
using static GanSharp.Autograd.GradEngine;

namespace GanSharp.Autograd;

/// <summary>
/// One backward rule per op, each written with differentiable tensor ops so that, when the
/// engine records (createGraph), gradients of gradients come out of the same rules.
/// Masks (relu's step, clamp's window) are constants: their derivative is zero almost everywhere.
/// </summary>
internal static class BackwardRules
{
    private static bool Need(Tensor? x) => x != null && x._needed;

    public static void Apply(Tensor t, Tensor g)
    {
        Tensor a = t._in0!;
        Tensor? b = t._in1, c = t._in2;
        switch (t._op)
        {
            case OpCode.Add:
                if (Need(a)) Accumulate(a, g.SumTo(a.Shape));
                if (Need(b)) Accumulate(b, g.SumTo(b!.Shape));
                break;
            case OpCode.Sub:
                if (Need(a)) Accumulate(a, g.SumTo(a.Shape));
                if (Need(b)) Accumulate(b, g.Neg().SumTo(b!.Shape));
                break;
            case OpCode.Mul:
                if (Need(a)) Accumulate(a, (g * b!).SumTo(a.Shape));
                if (Need(b)) Accumulate(b, (g * a).SumTo(b!.Shape));
                break;
            case OpCode.Div:
                if (Need(a)) Accumulate(a, (g / b!).SumTo(a.Shape));
                if (Need(b)) Accumulate(b, (g * a / (b! * b!)).Neg().SumTo(b!.Shape));
                break;
            case OpCode.AddScalar:
                Accumulate(a, g);
                break;
            case OpCode.MulScalar:
                Accumulate(a, g.MulScalar(t._f0));
                break;
            case OpCode.PowScalar:
                float p = t._f0;
                Accumulate(a, p == 1f ? g : p == 2f ? g * a * 2f : g * a.Pow(p - 1f) * p);
                break;
            case OpCode.Neg:
                Accumulate(a, g.Neg());
                break;
            case OpCode.Exp:
                Accumulate(a, g * t);
                break;
            case OpCode.Log:
                Accumulate(a, g / a);
                break;
            case OpCode.Sqrt:
                Accumulate(a, (g / t).MulScalar(0.5f));
                break;
            case OpCode.Sigmoid:
                Accumulate(a, g * (t - t * t));
                break;
            case OpCode.Tanh:
                Accumulate(a, g * (1f - t * t));
                break;
            case OpCode.Softplus:
                Accumulate(a, g * a.Sigmoid());
                break;
            case OpCode.Relu:
                Accumulate(a, Masks.StepProduct(g, a, 0f));
                break;
            case OpCode.LeakyRelu:
                Accumulate(a, Masks.StepProduct(g, a, t._f0));
                break;
            case OpCode.Clamp:
                Accumulate(a, g * t._aux!);
                break;
            case OpCode.Abs:
                Accumulate(a, g * Masks.Sign(a));
                break;
            case OpCode.Where:
                var zero = Tensor.Scalar(0f);
                if (Need(a)) Accumulate(a, Tensor.Where(t._aux!, g, zero).SumTo(a.Shape));
                if (Need(b)) Accumulate(b, Tensor.Where(t._aux!, zero, g).SumTo(b!.Shape));
                break;
            case OpCode.SumTo:
                Accumulate(a, g.BroadcastTo(a.Shape));
                break;
            case OpCode.BroadcastTo:
                Accumulate(a, g.SumTo(a.Shape));
                break;
            case OpCode.View:
                Accumulate(a, g.Reshape(a.Shape));
                break;
            case OpCode.Transpose:
                Accumulate(a, g.Transpose(t._i0, t._i1));
                break;
            case OpCode.Contiguous:
                Accumulate(a, g);
                break;
            case OpCode.Concat:
                int axis = t._i0, na = a.Shape[axis];
                if (Need(a)) Accumulate(a, g.Slice(axis, 0, na));
                if (Need(b)) Accumulate(b, g.Slice(axis, na, b!.Shape[axis]));
                break;
            case OpCode.Slice:
                Accumulate(a, g.Pad(t._i0, t._i1, a.Shape[t._i0]));
                break;
            case OpCode.Pad:
                Accumulate(a, g.Slice(t._i0, t._i1, a.Shape[t._i0]));
                break;
            case OpCode.MatMul:
                if (Need(a)) Accumulate(a, g.MatMul(b!.T()));
                if (Need(b)) Accumulate(b, a.T().MatMul(g));
                break;
            case OpCode.Linear:
                var gPre = ActivationGrad((Activation)t._i0, t._f0, t, g);
                if (Need(a)) Accumulate(a, gPre.MatMul(b!));
                if (Need(b)) Accumulate(b, gPre.T().MatMul(a));
                if (Need(c)) Accumulate(c, gPre.SumTo(c!.Shape));
                RecycleSpent(t, gPre, g);
                break;
            case OpCode.GroupMax:
                Accumulate(a, g.GroupScatter(t._aux!, t._i0));
                break;
            case OpCode.GroupScatter:
                Accumulate(a, g.GroupGather(t._aux!, t._i0));
                break;
            case OpCode.GroupGather:
                Accumulate(a, g.GroupScatter(t._aux!, t._i0));
                break;
            case OpCode.BceWithLogits:
                var s = a.Sigmoid();
                var diff = t._aux != null ? s - t._aux : s.AddScalar(-t._f0);
                Accumulate(a, diff * g.MulScalar(1f / a.Length));
                break;
            case OpCode.Conv2d:
                // A fused rectifier first; x's size is passed on: a strided conv maps several input sizes to the same output size.
                var gConv = ActivationGrad((Activation)t._i2, t._f0, t, g);
                if (Need(a)) Accumulate(a, Tensor.ConvTranspose2dCore(gConv, b!, null, t._i0, t._i1, a.Shape[2], a.Shape[3]));
                if (Need(b)) Accumulate(b, Tensor.Conv2dWeightGrad(a, gConv, b!.Shape[2], b.Shape[3], t._i0, t._i1));
                if (Need(c)) Accumulate(c, gConv.SumToChannels());
                RecycleSpent(t, gConv, g);
                break;
            case OpCode.ConvTranspose2d:
                // The weight gradient is the conv weight gradient with input and output swapped.
                if (Need(a)) Accumulate(a, Tensor.Conv2dCore(g, b!, null, t._i0, t._i1));
                if (Need(b)) Accumulate(b, Tensor.Conv2dWeightGrad(g, a, b!.Shape[2], b.Shape[3], t._i0, t._i1));
                if (Need(c)) Accumulate(c, g.SumToChannels());
                break;
            case OpCode.Conv2dWeightGrad:
                // t = dW(x = a, gradOutput = b) is bilinear in x and gradOutput.
                if (Need(a)) Accumulate(a, Tensor.ConvTranspose2dCore(b!, g, null, t._i0, t._i1, a.Shape[2], a.Shape[3]));
                if (Need(b)) Accumulate(b, Tensor.Conv2dCore(a, g, null, t._i0, t._i1));
                break;
            case OpCode.BatchNorm:
                Tensor.BatchNormBackward(t, g);
                break;
            default:
                throw new InvalidOperationException($"No backward rule for op {t._op}.");
        }
    }

    /// <summary>
    /// Gives node <paramref name="t"/>'s rule's own temporary (a fused activation's gradient) back to the pool once the
    /// rule is done with it: not when it is g itself, when an input's gradient is it or a view of it (SumTo of an
    /// already reduced shape returns its input), or when gradients are being recorded (then it is part of a graph).
    /// </summary>
    private static void RecycleSpent(Tensor t, Tensor temporary, Tensor g)
    {
        if (GradMode.IsEnabled || ReferenceEquals(temporary, g)) return;
        var storage = temporary._storage;
        if (ReferenceEquals(t._in0?._gradAcc?._storage, storage) || ReferenceEquals(t._in1?._gradAcc?._storage, storage)
            || ReferenceEquals(t._in2?._gradAcc?._storage, storage)) return;
        TensorScope.Recycle(temporary);
    }

    /// <summary>Gradient through a fused activation, from its output y (y &gt; 0 exactly where the input was).</summary>
    private static Tensor ActivationGrad(Activation act, float slope, Tensor y, Tensor g) => act switch
    {
        Activation.Identity => g,
        Activation.Relu => Masks.StepProduct(g, y, 0f),
        Activation.LeakyRelu => Masks.StepProduct(g, y, slope),
        Activation.Sigmoid => g * (y - y * y),
        Activation.Tanh => g * (1f - y * y),
        _ => throw new InvalidOperationException($"Unknown activation {act}."),
    };
}
