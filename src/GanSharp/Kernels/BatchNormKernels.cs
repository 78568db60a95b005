using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace GanSharp.Kernels;

/// <summary>
/// Batch normalisation over dense [N, C, inner] data (inner = H * W, or 1 for [N, C] features):
/// statistics per channel c over its N * inner values. Sums are accumulated in double.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Per-channel mean and biased variance (two passes, so no cancellation).</summary>
    public static void Statistics(ReadOnlySpan<float> x, int n, int c, int inner, Span<float> mean, Span<float> variance)
    {
        double count = (double)n * inner;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += TensorPrimitives.Sum(x.Slice((b * c + ch) * inner, inner));
            float mu = (float)(sum / count);
            double squares = 0;
            for (int b = 0; b < n; b++)
            {
                var block = x.Slice((b * c + ch) * inner, inner);
                float s = 0;
                for (int i = 0; i < block.Length; i++)
                {
                    float d = block[i] - mu;
                    s += d * d;
                }
                squares += s;
            }
            mean[ch] = mu;
            variance[ch] = (float)(squares / count);
        }
    }

    /// <summary>y = (x - mean) invStd weight + bias per channel; empty weight/bias mean 1 and 0.</summary>
    public static void Normalize(ReadOnlySpan<float> x, int n, int c, int inner, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int ch = 0; ch < c; ch++)
        {
            float scale = invStd[ch] * (weight.IsEmpty ? 1f : weight[ch]);
            float shift = (bias.IsEmpty ? 0f : bias[ch]) - mean[ch] * scale;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * inner;
                var yb = y.Slice(at, inner);
                TensorPrimitives.Multiply(x.Slice(at, inner), scale, yb);
                TensorPrimitives.Add(yb, shift, yb);
            }
        }
    }

    /// <summary>
    /// The gradients of <see cref="Normalize"/> with batch statistics, given the upstream gradient g:
    /// dbias = sum g, dweight = sum g xhat, dx = weight invStd (g - mean(g) - xhat mean(g xhat)).
    /// Empty output spans are skipped.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int n, int c, int inner, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> invStd, ReadOnlySpan<float> weight, Span<float> dx, Span<float> dweight, Span<float> dbias)
    {
        double count = (double)n * inner;
        for (int ch = 0; ch < c; ch++)
        {
            float mu = mean[ch], inv = invStd[ch];
            double sumG = 0, sumGCentered = 0;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * inner;
                var gb = g.Slice(at, inner);
                var xb = x.Slice(at, inner);
                float sg = 0, sgx = 0;
                for (int i = 0; i < gb.Length; i++)
                {
                    sg += gb[i];
                    sgx += gb[i] * (xb[i] - mu);
                }
                sumG += sg;
                sumGCentered += sgx;
            }
            float sumGXhat = (float)(sumGCentered * inv);
            if (!dbias.IsEmpty) dbias[ch] = (float)sumG;
            if (!dweight.IsEmpty) dweight[ch] = sumGXhat;
            if (dx.IsEmpty) continue;
            // dx = a g + b x + k with a = w inv, b = -w inv^2 mean(g xhat), k = -a mean(g) - b mu.
            float a = (weight.IsEmpty ? 1f : weight[ch]) * inv;
            float bx = (float)(-a * inv * sumGXhat / count);
            float k = (float)(-a * sumG / count) - bx * mu;
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * inner;
                var d = dx.Slice(at, inner);
                TensorPrimitives.Multiply(x.Slice(at, inner), bx, d);
                TensorPrimitives.Add(d, k, d);
                TensorPrimitives.MultiplyAdd(g.Slice(at, inner), a, d, d);
            }
        }
    }
}
