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
    // convolution: stride in I0, padding in I1; the weight gradient is an op so it can be differentiated again
    Conv2d, ConvTranspose2d, Conv2dWeightGrad,
    // batch normalisation with batch statistics: per-channel mean and 1/std saved in Aux, eps in F0
    BatchNorm,
}
