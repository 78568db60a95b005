namespace GanSharp.Kernels;

/// <summary>Element-wise activation that a kernel can fuse into its output (see <see cref="Gemm.Sgemm(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, float*, Activation, float)"/>).</summary>
public enum Activation
{
    /// <summary>y = x.</summary>
    Identity,
    /// <summary>y = max(x, 0); NaN stays NaN.</summary>
    Relu,
    /// <summary>y = x for x &gt;= 0, slope * x otherwise.</summary>
    LeakyRelu,
    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    Sigmoid,
    /// <summary>y = tanh(x).</summary>
    Tanh,
}
