using System.Globalization;
using GanSharp.Gan;

namespace GanSharp.Runs;

/// <summary>
/// Keeps every logged step's metrics in memory (for the loss figure) and appends them to
/// metrics.csv in the run folder, flushed every 100 rows so a killed run loses little.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _csv;
    private readonly int _every;
    private int _unflushed;

    public List<StepMetrics> Rows { get; } = [];

    public MetricsLog(string path, int logEvery, bool append = false)
    {
        _every = Math.Max(1, logEvery);
        bool writeHeader = !append || !File.Exists(path) || new FileInfo(path).Length == 0;
        _csv = new StreamWriter(path, append);
        if (writeHeader) _csv.WriteLine(StepMetrics.CsvHeader);
    }

    /// <summary>Records the step if it falls on the logging interval (or is forced, as the last step is).</summary>
    public void Observe(StepMetrics m, bool force = false)
    {
        if (!force && m.Step % _every != 0) return;
        if (Rows.Count > 0 && Rows[^1].Step == m.Step) return;
        Rows.Add(m);
        _csv.WriteLine(m.ToCsv());
        if (++_unflushed >= 100) Flush();
    }

    public void Flush()
    {
        _csv.Flush();
        _unflushed = 0;
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
    }

    /// <summary>Reads a metrics.csv back (for resumed runs and tests).</summary>
    public static List<StepMetrics> Read(string path)
    {
        var rows = new List<StepMetrics>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length != 6) continue;
            var c = CultureInfo.InvariantCulture;
            rows.Add(new StepMetrics(int.Parse(f[0], c), float.Parse(f[1], c), float.Parse(f[2], c), float.Parse(f[3], c), float.Parse(f[4], c), double.Parse(f[5], c)));
        }
        return rows;
    }
}
