using System.Globalization;

namespace GanSharp.Figures;

/// <summary>
/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, the finest such step that
/// yields at most the requested number of ticks, and compact invariant-culture labels.
/// </summary>
public static class NiceTicks
{
    private static readonly int[] Mantissas = [1, 2, 5];

    /// <summary>
    /// Ticks for a linear axis. With <paramref name="expandToTicks"/> the limits grow outwards to
    /// the nearest ticks (auto-scaled axes: the first and last ticks cover the data); otherwise the
    /// limits are kept and only ticks inside them are returned (fixed limits).
    /// </summary>
    public static AxisTicks Linear(double min, double max, int maxTicks = 8, bool expandToTicks = true)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"axis limits must be finite (got {min}, {max}).");
        if (min > max) (min, max) = (max, min);
        if (max - min <= Math.Abs(max) * 1e-12)
        {
            // A constant series: open a small window around it so it sits mid-axis.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        maxTicks = Math.Max(2, maxTicks);

        double range = max - min;
        int e0 = (int)Math.Floor(Math.Log10(range / maxTicks)) - 1;
        for (int e = e0; ; e++)
            foreach (int m in Mantissas)
            {
                double step = Scaled(m, e);
                const double eps = 1e-9; // tolerate rounding when a limit sits on a multiple of the step
                long lo = expandToTicks ? (long)Math.Floor(min / step + eps) : (long)Math.Ceiling(min / step - eps);
                long hi = expandToTicks ? (long)Math.Ceiling(max / step - eps) : (long)Math.Floor(max / step + eps);
                if (hi - lo + 1 > maxTicks) continue;

                var values = new double[Math.Max(0, hi - lo + 1)];
                for (long k = lo; k <= hi; k++) values[k - lo] = Scaled(k * m, e);
                double axisMin = expandToTicks ? values[0] : min, axisMax = expandToTicks ? values[^1] : max;
                bool scientific = UseScientific(Math.Max(Math.Abs(axisMin), Math.Abs(axisMax)));
                var labels = Array.ConvertAll(values, v => FormatTick(v, step, scientific));
                return new AxisTicks(axisMin, axisMax, step, values, labels, isLog: false);
            }
    }

    /// <summary>
    /// Ticks for a base-10 logarithmic axis over positive limits: whole decades (every k-th
    /// decade when there are many), plus 2 and 5 multiples when the range spans at most two decades.
    /// With <paramref name="expandToTicks"/> the limits grow to whole decades.
    /// </summary>
    public static AxisTicks Log(double min, double max, int maxTicks = 8, bool expandToTicks = true)
    {
        if (!(min > 0) || !(max > 0) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"log axis limits must be positive and finite (got {min}, {max}).");
        if (min > max) (min, max) = (max, min);
        maxTicks = Math.Max(2, maxTicks);
        const double eps = 1e-9;
        int lo = (int)Math.Floor(Math.Log10(min) + eps), hi = (int)Math.Ceiling(Math.Log10(max) - eps);
        if (hi == lo) hi++;
        int every = Math.Max(1, (int)Math.Ceiling((hi - lo) / (double)(maxTicks - 1)));
        hi = lo + (int)Math.Ceiling((hi - lo) / (double)every) * every;

        double axisMin = expandToTicks ? Scaled(1, lo) : min, axisMax = expandToTicks ? Scaled(1, hi) : max;
        var values = new List<double>();
        for (int e = lo; e <= hi; e += every)
            foreach (int m in hi - lo <= 2 ? Mantissas : [1])
            {
                double v = Scaled(m, e);
                if (v >= axisMin * (1 - eps) && v <= axisMax * (1 + eps)) values.Add(v);
            }
        var labels = values.Select(v => FormatTick(v, v, UseScientific(v))).ToArray();
        return new AxisTicks(axisMin, axisMax, every, values.ToArray(), labels, isLog: true);
    }

    /// <summary>
    /// Compact label for a tick <paramref name="value"/> on an axis with tick spacing
    /// <paramref name="step"/>: just enough decimals to tell neighbours apart, and an exponent
    /// form ("2.5e-4", "1e6") for very small or very large magnitudes.
    /// </summary>
    public static string Format(double value, double step) => FormatTick(value, step, UseScientific(Math.Abs(value)));

    private static bool UseScientific(double magnitude) => magnitude >= 1e5 || (magnitude > 0 && magnitude < 1e-3);

    private static string FormatTick(double value, double step, bool scientific)
    {
        if (value == 0 || !double.IsFinite(value)) return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        step = Math.Abs(step) > 0 ? Math.Abs(step) : Math.Abs(value);
        if (Math.Abs(value) < step * 1e-6) return "0"; // zero, or rounding noise next to it
        int stepExp = (int)Math.Floor(Math.Log10(step) + 1e-9);
        if (scientific)
        {
            int exp = (int)Math.Floor(Math.Log10(Math.Abs(value)) + 1e-9);
            int decimals = Math.Clamp(exp - stepExp, 0, 6);
            double mantissa = Math.Round(value / Math.Pow(10, exp), decimals);
            if (Math.Abs(mantissa) >= 10) { mantissa /= 10; exp++; }
            return Trim(mantissa.ToString("F" + decimals, CultureInfo.InvariantCulture)) + "e" + exp.ToString(CultureInfo.InvariantCulture);
        }
        int places = Math.Clamp(-stepExp, 0, 15);
        return value.ToString("F" + places, CultureInfo.InvariantCulture);
    }

    private static string Trim(string s) => s.Contains('.') ? s.TrimEnd('0').TrimEnd('.') : s;

    // m * 10^e, computed so that decimal values come out as the nearest double (0.6, not 0.6000000000000001).
    private static double Scaled(double m, int e) => e >= 0 ? m * Math.Pow(10, e) : m / Math.Pow(10, -e);
}
