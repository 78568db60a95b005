namespace GanSharp.Evaluation;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two sets of feature vectors (Heusel et al. 2017; FID
/// when the features are Inception's): ||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)). In double precision;
/// tr (S1 S2)^(1/2) is the sum of the square roots of the eigenvalues of L^T S2 L, where S1 = L L^T.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int dimension)
    {
        var (meanA, covA) = Moments(a, dimension);
        var (meanB, covB) = Moments(b, dimension);
        double meanTerm = 0, trace = 0;
        for (int i = 0; i < dimension; i++)
        {
            meanTerm += (meanA[i] - meanB[i]) * (meanA[i] - meanB[i]);
            trace += covA[i, i] + covB[i, i];
        }
        return meanTerm + trace - 2 * TraceSqrtOfProduct(covA, covB);
    }

    /// <summary>Mean and (n - 1)-normalised covariance of the rows.</summary>
    public static (double[] Mean, double[,] Covariance) Moments(ReadOnlySpan<float> rows, int dimension)
    {
        if (dimension < 1 || rows.Length % dimension != 0 || rows.Length / dimension < 2)
            throw new ArgumentException($"Moments need at least two whole rows of {dimension} features; got {rows.Length} floats.");
        int n = rows.Length / dimension;
        var mean = new double[dimension];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < dimension; i++) mean[i] += rows[r * dimension + i];
        for (int i = 0; i < dimension; i++) mean[i] /= n;
        var cov = new double[dimension, dimension];
        var centred = new double[dimension];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < dimension; i++) centred[i] = rows[r * dimension + i] - mean[i];
            for (int i = 0; i < dimension; i++)
            {
                double ci = centred[i];
                if (ci == 0) continue;
                for (int j = 0; j <= i; j++) cov[i, j] += ci * centred[j];
            }
        }
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j <= i; j++) cov[j, i] = cov[i, j] /= n - 1;
        return (mean, cov);
    }

    /// <summary>tr (A B)^(1/2) for symmetric positive semi-definite A and B.</summary>
    public static double TraceSqrtOfProduct(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var l = Cholesky(a);
        // M = L^T B L is symmetric PSD and similar to A B.
        var bl = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = j; k < n; k++) s += b[i, k] * l[k, j];
                bl[i, j] = s;
            }
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = i; k < n; k++) s += l[k, i] * bl[k, j];
                m[i, j] = m[j, i] = s;
            }
        double trace = 0;
        foreach (double eigenvalue in SymmetricEigenvalues(m)) trace += Math.Sqrt(Math.Max(eigenvalue, 0));
        return trace;
    }

    /// <summary>Lower-triangular L with A + eps I = L L^T; the jitter (1e-10 of the mean diagonal) admits singular covariances.</summary>
    private static double[,] Cholesky(double[,] a)
    {
        int n = a.GetLength(0);
        double jitter = 0;
        for (int i = 0; i < n; i++) jitter += a[i, i];
        jitter = Math.Max(jitter / n, 1e-300) * 1e-10;
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j] + jitter;
            for (int k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            l[j, j] = Math.Sqrt(Math.Max(d, jitter));
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }

    /// <summary>Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (overwrites it).</summary>
    private static double[] SymmetricEigenvalues(double[,] m)
    {
        int n = m.GetLength(0);
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diagonal = 0;
            for (int i = 0; i < n; i++)
            {
                diagonal += m[i, i] * m[i, i];
                for (int j = 0; j < i; j++) off += m[i, j] * m[i, j];
            }
            if (off <= 1e-30 * diagonal || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[p, q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double theta = (m[q, q] - m[p, p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                }
        }
        var eigenvalues = new double[n];
        for (int i = 0; i < n; i++) eigenvalues[i] = m[i, i];
        return eigenvalues;
    }
}
