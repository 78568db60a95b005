using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class CanvasTests
{
    private static int CountNonBackground(Canvas c, Color background, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        int n = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(c.Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(c.Width, x1); x++)
                if (c.GetPixel(x, y) != background) n++;
        return n;
    }

    [Fact]
    public void NewCanvas_IsFilledWithTheBackground_AndClearRepaints()
    {
        var c = new Canvas(4, 3);
        Assert.Equal(4 * 3 * 3, c.Pixels.Length);
        Assert.All(c.Pixels, b => Assert.Equal(255, b));
        c.Clear(new Color(1, 2, 3));
        Assert.Equal(new Color(1, 2, 3), c.GetPixel(3, 2));
    }

    [Fact]
    public void FillRect_SnapsToWholePixels_AndBlendsAlpha()
    {
        var c = new Canvas(10, 10);
        c.FillRect(2, 3, 4, 2, Color.Black);
        Assert.Equal(8, CountNonBackground(c, Color.White));
        Assert.Equal(Color.Black, c.GetPixel(2, 3));
        Assert.Equal(Color.Black, c.GetPixel(5, 4));
        Assert.Equal(Color.White, c.GetPixel(6, 4));

        c.FillRect(0, 0, 1, 1, Color.Black.WithOpacity(0.5));
        Assert.InRange(c.GetPixel(0, 0).R, 120, 135);
    }

    [Fact]
    public void DrawText_DrawsInkInsideItsBoxOnly()
    {
        var c = new Canvas(100, 40);
        c.DrawText("Hello", 10, 5, Color.Black, scale: 2);
        var (w, h) = Canvas.MeasureText("Hello", 2);
        Assert.Equal((5 * 6 - 1) * 2, w);
        Assert.Equal(9 * 2, h);

        int inside = CountNonBackground(c, Color.White, 10, 5, 10 + w, 5 + h);
        Assert.True(inside > 50, $"{inside} ink pixels");
        Assert.Equal(inside, CountNonBackground(c, Color.White));
    }

    [Fact]
    public void DrawText_Up_RotatesTheBox()
    {
        var c = new Canvas(40, 80);
        c.DrawText("loss", 5, 5, Color.Black, 1, TextDirection.Up);
        var (w, h) = Canvas.MeasureText("loss");
        int inside = CountNonBackground(c, Color.White, 5, 5, 5 + h, 5 + w);
        Assert.True(inside > 10);
        Assert.Equal(inside, CountNonBackground(c, Color.White));
        // The first letter sits at the bottom when reading upwards: 'l' is a single column of ink.
        Assert.True(CountNonBackground(c, Color.White, 5, 5 + w - 5, 5 + h, 5 + w) > 0);
    }

    [Fact]
    public void BitmapFont_HasInkForEveryVisibleCharacter_AndUnknownCharsDrawAsQuestionMark()
    {
        for (char ch = '!'; ch <= '~'; ch++)
        {
            bool any = false;
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                    any |= BitmapFont.IsSet(ch, col, row);
            Assert.True(any, $"glyph '{ch}' is empty");
        }
        var a = new Canvas(10, 12);
        var b = new Canvas(10, 12);
        a.DrawText("\u00e9", 1, 1, Color.Black);
        b.DrawText("?", 1, 1, Color.Black);
        Assert.Equal(b.Pixels, a.Pixels);
    }

    [Fact]
    public void DrawLine_CoversThePathAndStaysNearIt()
    {
        var c = new Canvas(50, 50);
        c.DrawLine(5, 5, 45, 45, Color.Red, thickness: 2);
        Assert.Equal(Color.Red, c.GetPixel(25, 25));
        Assert.Equal(Color.White, c.GetPixel(40, 10));
        // Antialiasing: some pixels are partially covered.
        bool partial = false;
        for (int x = 0; x < 50; x++)
        {
            var p = c.GetPixel(x, 20);
            partial |= p != Color.White && p != Color.Red;
        }
        Assert.True(partial);
    }

    [Fact]
    public void Polyline_BreaksAtNaN_AndTranslucentJointsAreNotDoubled()
    {
        var c = new Canvas(60, 20);
        var color = Color.Black.WithOpacity(0.5);
        c.DrawPolyline([(5, 10), (20, 10), (30, 10), (double.NaN, 0), (40, 10), (55, 10)], color, 3);
        Assert.Equal(c.GetPixel(12, 10), c.GetPixel(20, 10)); // joint as dark as the middle of a segment
        Assert.Equal(Color.White, c.GetPixel(35, 10));          // the gap
        Assert.NotEqual(Color.White, c.GetPixel(47, 10));
    }

    [Fact]
    public void FillCircle_AndPolygon()
    {
        var c = new Canvas(40, 40);
        c.FillCircle(20, 20, 6, Color.Blue);
        Assert.Equal(Color.Blue, c.GetPixel(20, 20));
        Assert.Equal(Color.White, c.GetPixel(20, 28));
        int area = CountNonBackground(c, Color.White);
        Assert.InRange(area, 100, 130); // pi * 36 ~ 113 plus antialiased rim

        var p = new Canvas(40, 40);
        p.FillPolygon([(10, 10), (30, 10), (30, 30), (10, 30)], Color.Green);
        Assert.Equal(400, CountNonBackground(p, Color.White));
        Assert.Equal(Color.Green, p.GetPixel(10, 10));
    }

    [Fact]
    public void Clip_LimitsDrawing()
    {
        var c = new Canvas(30, 30);
        c.SetClip(10, 10, 5, 5);
        c.FillRect(0, 0, 30, 30, Color.Black);
        c.DrawLine(0, 12, 30, 12, Color.Black, 3);
        c.DrawText("XXXX", 0, 0, Color.Black, 3);
        Assert.Equal(25, CountNonBackground(c, Color.White));
        c.ResetClip();
        c.FillRect(0, 0, 1, 1, Color.Black);
        Assert.Equal(26, CountNonBackground(c, Color.White));
    }

    [Fact]
    public void SavePng_RoundTrips()
    {
        var c = new Canvas(7, 5);
        c.DrawLine(0, 0, 7, 5, Color.Orange, 1.5);
        var image = PngReader.Decode(c.ToPng());
        Assert.Equal((7, 5, 3), (image.Width, image.Height, image.Channels));
        Assert.Equal(c.Pixels, image.Pixels);
    }
}
