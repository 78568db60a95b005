namespace GanSharp.Autograd;

/// <summary>The primitive ops the tape knows; each has one backward rule in <see cref="BackwardRules"/>.</summary>
internal enum OpCode : byte
{
    Leaf,
    // elementwise, broadcasting
    Add, Sub, Mul, Div,
    // elementwise with a scalar held in F0
    AddScalar, MulScalar, PowScalar,
    // unary
    Neg, Exp, Log, Sqrt, Sigmoid, Tanh, Softplus, Relu, LeakyRelu, Clamp, Abs,
    // select with a constant 0/1 mask in Aux
    Where,
    // reductions and broadcasting (target shape in the result)
    SumTo, BroadcastTo,
    // shape
    View, Transpose, Contiguous, Concat, Slice, Pad,
    // linear algebra: Linear holds the fused activation in I0 and its slope in F0
    MatMul, Linear,
    // maxout: argmax piece per group in Aux, pieces in I0
    GroupMax, GroupScatter, GroupGather,
    // losses: constant target in In1 or F0
    BceWithLogits,
}
