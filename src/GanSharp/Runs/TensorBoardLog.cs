using GanSharp.Figures;
using GanSharp.Gan;
using GanSharp.IO;

namespace GanSharp.Runs;

/// <summary>
/// Mirrors a run into a TensorBoard event file in its folder: a scalar per metrics.csv column for every
/// row the <see cref="MetricsLog"/> writes, and the progress sample grids. Each session adds its own file.
/// </summary>
public sealed class TensorBoardLog : IDisposable
{
    public const string SamplesTag = "samples";

    // The metrics.csv column names after "step", so charts and file read alike.
    private static readonly string[] Tags = StepMetrics.CsvHeader.Split(',')[1..];

    private readonly TensorBoardEventWriter _writer;
    private readonly float[] _values = new float[Tags.Length];

    private TensorBoardLog(TensorBoardEventWriter writer) => _writer = writer;

    public string Path => _writer.Path;

    /// <param name="resumedFromStep">The checkpoint step a resumed session starts from, 0 for a new run.</param>
    public static TensorBoardLog Open(string runDirectory, int resumedFromStep)
    {
        var writer = TensorBoardEventWriter.Create(runDirectory);
        // Rows a crashed session logged after its last checkpoint are retrained; this hides the old ones.
        if (resumedFromStep > 0) writer.WriteSessionStart(resumedFromStep + 1);
        return new TensorBoardLog(writer);
    }

    /// <summary>Writes every new row of <paramref name="log"/> and flushes whenever it flushes.</summary>
    public void Follow(MetricsLog log)
    {
        log.RowWritten += WriteScalars;
        log.Flushed += _writer.Flush;
    }

    public void WriteScalars(StepMetrics m)
    {
        _values[0] = m.DiscriminatorLoss;
        _values[1] = m.GeneratorLoss;
        _values[2] = m.MeanDReal;
        _values[3] = m.MeanDFake;
        _values[4] = (float)m.Seconds;
        _writer.WriteScalars(m.Step, Tags, _values);
    }

    /// <summary>Written through at once: grids are rare, and someone watching wants to see them.</summary>
    public void WriteSamples(int step, RasterImage grid)
    {
        _writer.WriteImage(step, SamplesTag, grid.Width, grid.Height, grid.Channels, grid.ToPng());
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
