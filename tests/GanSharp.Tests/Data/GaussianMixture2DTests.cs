using GanSharp.Data;
using GanSharp.Tensors;

namespace GanSharp.Tests.Data;

public class GaussianMixture2DTests
{
    [Fact]
    public void Ring_PlacesModesEvenlyOnTheCircle()
    {
        var ring = GaussianMixture2D.Ring();
        Assert.Equal(8, ring.ModeCount);
        Assert.Equal(0.01, ring.Std);
        for (int k = 0; k < 8; k++)
        {
            var (x, y) = ring.Means[k];
            Assert.Equal(1.0, Math.Sqrt(x * x + y * y), 5);
            Assert.Equal(2 * Math.PI * k / 8, (Math.Atan2(y, x) + 2 * Math.PI) % (2 * Math.PI), 5);
        }
        Assert.Equal((2f, 0f), GaussianMixture2D.Ring(modes: 4, radius: 2).Means[0]);
    }

    [Fact]
    public void Grid_IsTheFiveByFiveGridOfEvenCoordinates()
    {
        var grid = GaussianMixture2D.Grid();
        Assert.Equal(0.05, grid.Std);
        float[] coords = [-4, -2, 0, 2, 4];
        var expected = coords.SelectMany(x => coords.Select(y => (x, y))).ToHashSet();
        Assert.Equal(25, grid.ModeCount);
        Assert.True(expected.SetEquals(grid.Means));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Samples_HaveUniformModeFrequencies_AndTheRightSpread(bool ring)
    {
        var mixture = ring ? GaussianMixture2D.Ring() : GaussianMixture2D.Grid();
        const int batch = 500, batches = 100, n = batch * batches;
        var counts = new int[mixture.ModeCount];
        double sumSq = 0, sumX = 0, sumY = 0;
        var buffer = new float[2 * batch];
        var rng = new Rng(2024);
        for (int b = 0; b < batches; b++)
        {
            mixture.NextBatch(buffer, batch, rng);
            for (int i = 0; i < batch; i++)
            {
                var (mode, _) = mixture.NearestMode(buffer[2 * i], buffer[2 * i + 1]);
                counts[mode]++;
                double dx = buffer[2 * i] - mixture.Means[mode].X, dy = buffer[2 * i + 1] - mixture.Means[mode].Y;
                sumX += dx;
                sumY += dy;
                sumSq += dx * dx + dy * dy;
            }
        }
        double expected = (double)n / mixture.ModeCount;
        foreach (int c in counts)
            Assert.InRange(c, expected * 0.9, expected * 1.1); // ~6 standard errors for the grid
        Assert.InRange(Math.Sqrt(sumSq / (2 * n)) / mixture.Std, 0.98, 1.02);
        Assert.InRange(sumX / n / mixture.Std, -0.02, 0.02);
        Assert.InRange(sumY / n / mixture.Std, -0.02, 0.02);
    }

    [Fact]
    public void Samples_AreDeterministicForAGeneratorState()
    {
        var m = GaussianMixture2D.Grid();
        var a = new float[64];
        var b = new float[64];
        m.NextBatch(a, 32, new Rng(5));
        m.NextBatch(b, 32, new Rng(5));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Density_PeaksAtAModeWithTheMixtureNormalisation()
    {
        var ring = GaussianMixture2D.Ring();
        double peak = 1 / (8 * 2 * Math.PI * 0.01 * 0.01);
        Assert.Equal(peak, ring.Density([1f, 0f]), peak * 1e-4);
        Assert.Equal(peak * Math.Exp(-0.5), ring.Pdf(1, 0.01), peak * 1e-4);
        Assert.Equal(0, ring.Pdf(0, 0));

        // Numerically integrates to 1 over a fine grid around the wide 5x5 mixture.
        var grid = GaussianMixture2D.Grid(side: 2, spacing: 1, std: 0.3);
        double h = 0.02, total = 0;
        for (double x = -3; x < 3; x += h)
            for (double y = -3; y < 3; y += h)
                total += grid.Pdf(x, y) * h * h;
        Assert.Equal(1, total, 3);
    }

    [Fact]
    public void InvalidParameters_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new GaussianMixture2D([], 1));
        Assert.Throws<ArgumentException>(() => new GaussianMixture2D([(0f, 0f)], 0));
        Assert.Throws<ArgumentException>(() => new GaussianMixture2D([(float.NaN, 0f)], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture2D.Ring(modes: 0));
        Assert.Throws<ArgumentException>(() => GaussianMixture2D.Ring().NextBatch(new float[3], 2, new Rng(1)));
    }
}
