using GanSharp.Evaluation;
using GanSharp.Tensors;

namespace GanSharp.Tests.Evaluation;

public class ParzenWindowTests
{
    private static float[] Normal(int count, int dim, float std, ulong seed)
    {
        var x = new float[count * dim];
        new Rng(seed).FillNormal(x, 0f, std);
        return x;
    }

    [Fact]
    public void One_centre_gives_the_exact_gaussian_log_density()
    {
        float[] mu = [0.5f, -1f, 2f];
        float[] x = [0.1f, -0.7f, 2.4f, 3f, 0f, 0f];
        double sigma = 0.7;
        var ll = ParzenWindow.LogLikelihoods(mu, x, 3, [sigma])[0];
        for (int j = 0; j < 2; j++)
        {
            double sq = 0;
            for (int k = 0; k < 3; k++) sq += Math.Pow(x[j * 3 + k] - mu[k], 2);
            double expected = -sq / (2 * sigma * sigma) - 3 * Math.Log(sigma * Math.Sqrt(2 * Math.PI));
            Assert.Equal(expected, ll[j], 4);
        }
    }

    [Fact]
    public void Many_centres_from_a_gaussian_converge_to_the_smoothed_closed_form()
    {
        // Centres ~ N(0, s^2 I) smoothed by sigma give N(0, (s^2 + sigma^2) I); for x ~ N(0, s^2 I)
        // E[log p(x)] = -d/2 log(2 pi (s^2 + sigma^2)) - d s^2 / (2 (s^2 + sigma^2)).
        const int d = 2;
        double s = 1, sigma = 0.5;
        var centres = Normal(40000, d, (float)s, 1);
        var test = Normal(4000, d, (float)s, 2);
        var ll = ParzenWindow.LogLikelihoods(centres, test, d, [sigma])[0];
        double v = s * s + sigma * sigma;
        double expected = -d / 2.0 * Math.Log(2 * Math.PI * v) - d * s * s / (2 * v);
        double mean = ll.Average();
        double se = Math.Sqrt(ll.Sum(e => (e - mean) * (e - mean)) / (ll.Length - 1) / ll.Length);
        Assert.True(Math.Abs(mean - expected) < 3 * se + 0.01, $"Parzen mean {mean:F4} vs closed form {expected:F4} (se {se:F4})");
    }

    [Fact]
    public void Protocol_picks_the_sigma_with_the_best_validation_likelihood_and_reports_the_standard_error()
    {
        const int d = 3;
        var centres = Normal(5000, d, 0.3f, 3);
        var validation = Normal(500, d, 0.3f, 4);
        var test = Normal(800, d, 0.3f, 5);
        var result = ParzenWindow.Evaluate(centres, validation, test, d);
        Assert.Equal(10, result.Sigmas.Length);
        Assert.Equal(0.1, result.Sigmas[0], 12);
        Assert.Equal(1.0, result.Sigmas[^1], 12);
        Assert.Equal(result.ValidationMeans.Max(), result.ValidationMeans[Array.IndexOf(result.Sigmas, result.Sigma)]);
        var testLl = ParzenWindow.LogLikelihoods(centres, test, d, [result.Sigma])[0];
        Assert.Equal(testLl.Average(), result.TestMean, 9);
        double sd = Math.Sqrt(testLl.Sum(e => (e - result.TestMean) * (e - result.TestMean)) / (testLl.Length - 1));
        Assert.Equal(sd / Math.Sqrt(800), result.TestStandardError, 9);
        Assert.Equal(800, result.TestPoints);
    }

    [Fact]
    public void Nearest_neighbours_match_brute_force()
    {
        const int d = 5;
        var refs = Normal(300, d, 1f, 6);
        var queries = Normal(70, d, 1f, 7);
        var found = NearestNeighbours.Find(queries, refs, d);
        for (int q = 0; q < 70; q++)
        {
            int best = 0;
            double bestD = double.MaxValue;
            for (int i = 0; i < 300; i++)
            {
                double dist = 0;
                for (int k = 0; k < d; k++) dist += Math.Pow(queries[q * d + k] - refs[i * d + k], 2);
                if (dist < bestD) { bestD = dist; best = i; }
            }
            Assert.Equal(best, found[q]);
        }
    }
}
