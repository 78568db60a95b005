namespace GanSharp.Kernels;

/// <summary>Activations fused into the GEMM epilogue.</summary>
public enum Activation { Identity, Relu, LeakyRelu, Sigmoid, Tanh }
