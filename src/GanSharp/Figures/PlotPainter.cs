namespace GanSharp.Figures;

/// <summary>
/// Lays out and draws a <see cref="Plot"/> inside a rectangle of a surface: margins sized from the
/// measured tick and axis labels, nice ticks, light grid, clipped series, frame, tick marks, labels,
/// title and legend. All sizes are designed for a 640x480 panel and scale with its area.
/// </summary>
internal static class PlotPainter
{
    private static readonly Color Ink = new(34, 34, 34);
    private static readonly Color FrameColor = new(68, 68, 68);
    private static readonly Color GridColor = new(229, 229, 229);
    private static readonly Color LegendBorder = new(204, 204, 204);

    public static void Paint(Plot plot, IPlotSurface s, RectD area)
    {
        double u = UnitFor(area);
        s.Unit = u;
        double pad = 10 * u, tickLen = 4 * u, tickGap = 3 * u, labelGap = 6 * u;
        double stroke = Math.Max(1, Math.Round(u));

        var bounds = new DataBounds();
        foreach (var series in plot.Series) series.Extend(ref bounds, plot.LogY);

        // Vertical extent first: it does not depend on the ticks.
        string? title = NonEmpty(plot.Title), xLabel = NonEmpty(plot.XLabel), yLabel = NonEmpty(plot.YLabel);
        // A title too wide for the panel drops to the axis-label size rather than being cut off.
        TextRole titleRole = title is not null && s.MeasureText(title, TextRole.Title).Width > area.Width - 2 * pad
            ? TextRole.Label : TextRole.Title;
        double titleCap = title is null ? 0 : s.MeasureText(title, titleRole).CapHeight;
        double tickCap = s.MeasureText("0", TextRole.Tick).CapHeight;
        double labelCap = s.MeasureText("X", TextRole.Label).CapHeight;
        double labelBlock = labelCap * 1.35; // cap height plus room for descenders
        double top = area.Y + pad + (title is null ? tickCap / 2 : titleCap + 12 * u);
        double bottom = area.Bottom - pad - tickLen - tickGap - tickCap - (xLabel is null ? 0 : labelGap + labelBlock);

        int maxYTicks = Math.Clamp((int)((bottom - top) / (42 * u)) + 1, 3, 10);
        AxisTicks yTicks = YTicks(plot, bounds, maxYTicks);
        double yTickWidth = yTicks.Labels.Select(l => s.MeasureText(l, TextRole.Tick).Width).DefaultIfEmpty(0).Max();
        double left = area.X + pad + (yLabel is null ? 0 : labelBlock + labelGap) + yTickWidth + tickGap + tickLen;

        // Fewer x ticks until their labels no longer collide.
        AxisTicks xTicks;
        double right;
        int maxXTicks = Math.Clamp((int)((area.Right - pad - left) / (60 * u)) + 1, 3, 10);
        while (true)
        {
            xTicks = XTicks(plot, bounds, maxXTicks);
            // The outermost tick labels are centred on the frame corners and must not leave the panel.
            double firstWidth = xTicks.Labels.Count > 0 ? s.MeasureText(xTicks.Labels[0], TextRole.Tick).Width : 0;
            double lastWidth = xTicks.Labels.Count > 0 ? s.MeasureText(xTicks.Labels[^1], TextRole.Tick).Width : 0;
            left = Math.Max(left, area.X + firstWidth / 2 + 3 * u);
            right = area.Right - Math.Max(pad, lastWidth / 2 + 3 * u);
            if (maxXTicks <= 2 || XLabelsFit(s, xTicks, left, right, 8 * u)) break;
            maxXTicks--;
        }

        // Whole-pixel edges keep the frame and the clip crisp in both renderers.
        (left, top, right, bottom) = (Math.Round(left), Math.Round(top), Math.Round(right), Math.Round(bottom));
        var plotArea = new RectD(left, top, Math.Max(1, right - left), Math.Max(1, bottom - top));
        var map = new AxisMap(plotArea, xTicks.Min, xTicks.Max, yTicks.Min, yTicks.Max, plot.LogY);

        // Grid under everything else.
        if (plot.Grid)
        {
            s.BeginGroup("grid", null);
            foreach (double v in xTicks.Values)
            {
                double x = Crisp(map.X(v), stroke);
                if (x > plotArea.X + 1 && x < plotArea.Right - 1) s.Line(x, plotArea.Y, x, plotArea.Bottom, GridColor, stroke);
            }
            foreach (double v in yTicks.Values)
            {
                double y = Crisp(map.Y(v), stroke);
                if (y > plotArea.Y + 1 && y < plotArea.Bottom - 1) s.Line(plotArea.X, y, plotArea.Right, y, GridColor, stroke);
            }
            s.EndGroup();
        }

        foreach (var series in plot.Series)
        {
            s.BeginClip(plotArea.Inflate(series.ClipMargin(u)));
            s.BeginGroup("series " + series.Kind, series.Label);
            series.Paint(s, map, u);
            s.EndGroup();
            s.EndClip();
        }

        // Frame, tick marks and tick labels.
        s.BeginGroup("axes", null);
        double fx0 = Crisp(plotArea.X, stroke), fx1 = Crisp(plotArea.Right, stroke);
        double fy0 = Crisp(plotArea.Y, stroke), fy1 = Crisp(plotArea.Bottom, stroke);
        s.Line(fx0, fy0, fx1, fy0, FrameColor, stroke);
        s.Line(fx0, fy1, fx1, fy1, FrameColor, stroke);
        s.Line(fx0, fy0, fx0, fy1, FrameColor, stroke);
        s.Line(fx1, fy0, fx1, fy1, FrameColor, stroke);
        for (int i = 0; i < xTicks.Values.Count; i++)
        {
            double x = Crisp(map.X(xTicks.Values[i]), stroke);
            s.Line(x, fy1, x, fy1 + tickLen, FrameColor, stroke);
            s.Text(xTicks.Labels[i], x, fy1 + tickLen + tickGap, TextRole.Tick, Ink, HAlign.Center, VAlign.Top);
        }
        for (int i = 0; i < yTicks.Values.Count; i++)
        {
            double y = Crisp(map.Y(yTicks.Values[i]), stroke);
            s.Line(fx0 - tickLen, y, fx0, y, FrameColor, stroke);
            s.Text(yTicks.Labels[i], fx0 - tickLen - tickGap, y, TextRole.Tick, Ink, HAlign.Right, VAlign.Middle);
        }
        s.EndGroup();

        if (xLabel is not null)
            s.Text(xLabel, plotArea.CenterX, fy1 + tickLen + tickGap + tickCap + labelGap, TextRole.Label, Ink, HAlign.Center, VAlign.Top);
        if (yLabel is not null)
            s.Text(yLabel, area.X + pad, plotArea.CenterY, TextRole.Label, Ink, HAlign.Center, VAlign.Top, vertical: true);
        if (title is not null)
        {
            // Centre on the plot area unless the title is too wide for it.
            double titleX = s.MeasureText(title, titleRole).Width <= plotArea.Width ? plotArea.CenterX : area.CenterX;
            s.Text(title, titleX, area.Y + pad, titleRole, Ink, HAlign.Center, VAlign.Top);
        }

        PaintLegend(plot, s, map, u, stroke);
    }

    /// <summary>Size multiplier for a panel: 1 at 640x480, growing with the square root of its area.</summary>
    internal static double UnitFor(RectD area) => Math.Clamp(Math.Sqrt(area.Width * area.Height / (640.0 * 480.0)), 0.75, 4);

    private static void PaintLegend(Plot plot, IPlotSurface s, AxisMap map, double u, double stroke)
    {
        var entries = plot.Series.Where(e => !string.IsNullOrEmpty(e.Label)).ToList();
        if (entries.Count == 0 || plot.Legend == LegendLocation.None) return;

        double cap = s.MeasureText("X", TextRole.Legend).CapHeight;
        double rowHeight = Math.Max(cap * 2.1, 15 * u), padding = 6 * u, swatchWidth = 20 * u, gap = 6 * u, inset = 8 * u;
        double textWidth = entries.Max(e => s.MeasureText(e.Label!, TextRole.Legend).Width);
        double width = Math.Round(2 * padding + swatchWidth + gap + textWidth);
        double height = Math.Round(entries.Count * rowHeight + padding);

        RectD Corner(LegendLocation where)
        {
            RectD a = map.Area;
            double x = where is LegendLocation.UpperLeft or LegendLocation.LowerLeft ? a.X + inset : a.Right - inset - width;
            double y = where is LegendLocation.UpperLeft or LegendLocation.UpperRight ? a.Y + inset : a.Bottom - inset - height;
            return new RectD(Math.Round(x), Math.Round(y), width, height);
        }

        RectD box;
        if (plot.Legend != LegendLocation.Auto)
        {
            box = Corner(plot.Legend);
        }
        else
        {
            // The corner covering the fewest data pixels wins; the order breaks ties.
            LegendLocation[] order = [LegendLocation.UpperRight, LegendLocation.UpperLeft, LegendLocation.LowerRight, LegendLocation.LowerLeft];
            var candidates = order.Select(Corner).ToArray();
            var hits = new int[candidates.Length];
            foreach (var series in plot.Series)
                foreach (var (x, y) in series.Footprint(map))
                    for (int k = 0; k < candidates.Length; k++)
                        if (candidates[k].Inflate(3 * u).Contains(x, y)) hits[k]++;
            box = candidates[Array.IndexOf(hits, hits.Min())];
        }

        s.BeginGroup("legend", null);
        s.Rect(box, Color.White.WithOpacity(0.9), LegendBorder, stroke);
        for (int i = 0; i < entries.Count; i++)
        {
            double cy = box.Y + padding / 2 + rowHeight * (i + 0.5);
            var swatch = new RectD(box.X + padding, cy - rowHeight * 0.28, swatchWidth, rowHeight * 0.56);
            entries[i].PaintSwatch(s, swatch, u);
            s.Text(entries[i].Label!, swatch.Right + gap, cy, TextRole.Legend, Ink, HAlign.Left, VAlign.Middle);
        }
        s.EndGroup();
    }

    private static AxisTicks XTicks(Plot plot, DataBounds b, int maxTicks)
    {
        if (plot.XLimits is { } fixedLimits)
            return NiceTicks.Linear(fixedLimits.Min, fixedLimits.Max, maxTicks, expandToTicks: false);
        return b.HasX ? NiceTicks.Linear(b.XMin, b.XMax, maxTicks) : NiceTicks.Linear(0, 1, maxTicks);
    }

    private static AxisTicks YTicks(Plot plot, DataBounds b, int maxTicks)
    {
        if (plot.LogY)
        {
            if (plot.YLimits is { } l)
            {
                if (!(l.Min > 0))
                    throw new InvalidOperationException($"a log-scale y axis needs positive limits (YLimits = ({l.Min}, {l.Max})).");
                return NiceTicks.Log(l.Min, l.Max, maxTicks, expandToTicks: false);
            }
            return b.HasY ? NiceTicks.Log(b.YMin, b.YMax, maxTicks) : NiceTicks.Log(1, 10, maxTicks);
        }
        if (plot.YLimits is { } fixedLimits)
            return NiceTicks.Linear(fixedLimits.Min, fixedLimits.Max, maxTicks, expandToTicks: false);
        return b.HasY ? NiceTicks.Linear(b.YMin, b.YMax, maxTicks) : NiceTicks.Linear(0, 1, maxTicks);
    }

    private static bool XLabelsFit(IPlotSurface s, AxisTicks ticks, double left, double right, double minGap)
    {
        double span = ticks.Max - ticks.Min;
        double previousEnd = double.NegativeInfinity;
        for (int i = 0; i < ticks.Values.Count; i++)
        {
            double x = left + (ticks.Values[i] - ticks.Min) / span * (right - left);
            double half = s.MeasureText(ticks.Labels[i], TextRole.Tick).Width / 2;
            if (x - half < previousEnd + minGap) return false;
            previousEnd = x + half;
        }
        return true;
    }

    /// <summary>Places a line of the given width on whole pixels so it renders sharp, not smeared over two.</summary>
    private static double Crisp(double v, double width) =>
        ((int)width & 1) == 1 ? Math.Floor(v) + 0.5 : Math.Round(v);

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
