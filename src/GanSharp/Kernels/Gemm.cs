namespace GanSharp.Kernels;

// TEMPORARY naive placeholder until the packed kernel lands (same signature).
public static unsafe class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, float* bias = null, Activation act = Activation.Identity, float slope = 0.01f)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                float v = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]) + (bias != null ? bias[j] : 0);
                c[i * ldc + j] = act switch
                {
                    Activation.Relu => Math.Max(v, 0),
                    Activation.LeakyRelu => v > 0 ? v : slope * v,
                    Activation.Sigmoid => 1 / (1 + MathF.Exp(-v)),
                    Activation.Tanh => MathF.Tanh(v),
                    _ => v,
                };
            }
    }
}
