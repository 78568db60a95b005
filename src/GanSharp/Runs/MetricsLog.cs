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

    /// <summary>Each row as it is appended (not the rows a resumed log keeps), for mirrors such as TensorBoard.</summary>
    public event Action<StepMetrics>? RowWritten;

    /// <summary>After metrics.csv is flushed, so that mirrors flush with it.</summary>
    public event Action? Flushed;

    private MetricsLog(string path, int logEvery, List<StepMetrics> kept)
    {
        _every = Math.Max(1, logEvery);
        _csv = new StreamWriter(path, append: false);
        _csv.WriteLine(StepMetrics.CsvHeader);
        foreach (var row in kept) Observe(row, force: true);
    }

    /// <summary>
    /// Starts metrics.csv afresh, or (resuming) keeps the rows up to the checkpoint's step and drops
    /// any a crashed session wrote after it, so the file never holds a step twice.
    /// </summary>
    public static MetricsLog Open(string path, int logEvery, int keepUpToStep = 0)
    {
        var kept = keepUpToStep > 0 && File.Exists(path) ? Read(path).Where(r => r.Step <= keepUpToStep).ToList() : [];
        return new MetricsLog(path, logEvery, kept);
    }

    /// <summary>Records the step if it falls on the logging interval (or is forced, as the last step is).</summary>
    public void Observe(StepMetrics m, bool force = false)
    {
        if (!force && m.Step % _every != 0) return;
        if (Rows.Count > 0 && Rows[^1].Step == m.Step) return;
        Rows.Add(m);
        _csv.WriteLine(m.ToCsv());
        RowWritten?.Invoke(m);
        if (++_unflushed >= 100) Flush();
    }

    public void Flush()
    {
        _csv.Flush();
        _unflushed = 0;
        Flushed?.Invoke();
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
