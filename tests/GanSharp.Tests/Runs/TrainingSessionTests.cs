using System.Buffers.Binary;
using System.Xml.Linq;
using GanSharp.Figures;
using GanSharp.Runs;

namespace GanSharp.Tests.Runs;

public class TrainingSessionTests
{
    [Fact]
    public void A_toy_run_writes_metrics_figures_and_a_report()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gansharp-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = ConfigSource.Load("toy1d", steps: 60);
            var session = new TrainingSession(config with { Pretrain = config.Pretrain! with { Steps = 50 } }, dir);
            int observed = 0;
            session.StepCompleted += _ => observed++;
            var summary = session.Run();
            Assert.Equal(60, summary.Steps);
            Assert.Equal(60, observed);
            Assert.False(summary.Stopped);

            var rows = MetricsLog.Read(Path.Combine(dir, "metrics.csv"));
            Assert.Equal([10, 20, 30, 40, 50, 60], rows.Select(r => r.Step));
            Assert.All(rows, r => Assert.True(float.IsFinite(r.DiscriminatorLoss) && r.MeanDReal is > 0 and < 1));

            foreach (var name in new[] { "fig1_initial", "fig2_pretraining", "fig3_losses", "fig4_final" })
            {
                var png = File.ReadAllBytes(Path.Combine(dir, name + ".png"));
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
                Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
                Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)) >= 320);
                var image = PngReader.Decode(png); // verifies every chunk CRC
                Assert.True(image.Width >= 320 && image.Height >= 240);
                var svg = XDocument.Load(Path.Combine(dir, name + ".svg"));
                Assert.Equal("svg", svg.Root!.Name.LocalName);
            }
            var html = File.ReadAllText(summary.ReportPath);
            Assert.Contains("<svg", html);
            Assert.Contains("D*(x)", html);
            Assert.Contains("G samples mean / std", html);
            Assert.Contains("\"toy1d\"", File.ReadAllText(Path.Combine(dir, "config.json")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_stopped_run_still_writes_what_it_has()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gansharp-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = ConfigSource.Load("toy1d", steps: 1000);
            var session = new TrainingSession(config with { Pretrain = null }, dir);
            using var stop = new CancellationTokenSource();
            session.StepCompleted += m => { if (m.Step == 25) stop.Cancel(); };
            var summary = session.Run(stop.Token);
            Assert.True(summary.Stopped);
            Assert.Equal(25, summary.Steps);
            Assert.Equal(25, MetricsLog.Read(Path.Combine(dir, "metrics.csv"))[^1].Step);
            Assert.True(File.Exists(summary.ReportPath));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
