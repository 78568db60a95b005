using GanSharp.Evaluation;

namespace GanSharp.Tests.Evaluation;

public class FrechetDistanceTests
{
    private static double[,] Matrix(int n, params double[] values)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = values[i * n + j];
        return m;
    }

    /// <summary>A random symmetric positive definite matrix Q D Q^T.</summary>
    private static double[,] RandomSpd(int n, int seed)
    {
        var rng = new Random(seed);
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) g[i, j] = rng.NextDouble() * 2 - 1;
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 0.1 : 0;
                for (int k = 0; k < n; k++) s += g[i, k] * g[j, k];
                m[i, j] = s;
            }
        return m;
    }

    [Fact]
    public void Trace_sqrt_of_diagonal_and_2x2_products_matches_closed_forms()
    {
        Assert.Equal(Math.Sqrt(2 * 3) + Math.Sqrt(5 * 7) + Math.Sqrt(0.5 * 0.25),
            FrechetDistance.TraceSqrtOfProduct(Matrix(3, 2, 0, 0, 0, 5, 0, 0, 0, 0.5), Matrix(3, 3, 0, 0, 0, 7, 0, 0, 0, 0.25)), 7);
        // Non-commuting 2x2: tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for M = A B with positive eigenvalues.
        var a = Matrix(2, 2, 1, 1, 3);
        var b = Matrix(2, 1, -0.5, -0.5, 2);
        double tr = a[0, 0] * b[0, 0] + a[0, 1] * b[1, 0] + a[1, 0] * b[0, 1] + a[1, 1] * b[1, 1];
        double det = (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * (b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]);
        Assert.Equal(Math.Sqrt(tr + 2 * Math.Sqrt(det)), FrechetDistance.TraceSqrtOfProduct(a, b), 7);
    }

    [Fact]
    public void Trace_sqrt_of_a_matrix_with_itself_and_with_its_inverse()
    {
        var a = RandomSpd(12, 1);
        double trace = 0;
        for (int i = 0; i < 12; i++) trace += a[i, i];
        Assert.Equal(trace, FrechetDistance.TraceSqrtOfProduct(a, a), 8);   // (A A)^(1/2) = A
        Assert.Equal(12, FrechetDistance.TraceSqrtOfProduct(a, Inverse(a)), 6); // (A A^-1)^(1/2) = I
    }

    [Fact]
    public void Distance_between_sampled_gaussians_approaches_the_closed_form()
    {
        // N(0, diag(1, 4)) vs N((3, 0), diag(9, 4)): ||mu||^2 + sum (s1 - s2)^2 = 9 + (1 - 3)^2 + 0 = 13.
        var rng = new Random(5);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        int n = 200_000;
        var x = new float[2 * n];
        var y = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = (float)Normal(); x[2 * i + 1] = (float)(2 * Normal());
            y[2 * i] = (float)(3 + 3 * Normal()); y[2 * i + 1] = (float)(2 * Normal());
        }
        Assert.Equal(13, FrechetDistance.Compute(x, y, 2), 1);
        Assert.Equal(0, FrechetDistance.Compute(x, x, 2), 6);
    }

    [Fact]
    public void Moments_are_the_mean_and_the_unbiased_covariance()
    {
        var (mean, cov) = FrechetDistance.Moments([1, 2, 3, 6, 5, 1], 2); // rows (1, 2), (3, 6), (5, 1)
        Assert.Equal([3, 3], mean);
        Assert.Equal(4, cov[0, 0], 12);
        Assert.Equal(7, cov[1, 1], 12);
        Assert.Equal(-1, cov[0, 1], 12);
        Assert.Equal(cov[0, 1], cov[1, 0]);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Moments([1, 2], 2));
    }

    private static double[,] Inverse(double[,] a)
    {
        int n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a[i, j];
            m[i, n + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (int j = 0; j < 2 * n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            double d = m[c, c];
            for (int j = 0; j < 2 * n; j++) m[c, j] /= d;
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = m[r, c];
                for (int j = 0; j < 2 * n; j++) m[r, j] -= f * m[c, j];
            }
        }
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) inv[i, j] = m[i, n + j];
        return inv;
    }
}
