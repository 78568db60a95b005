using GanSharp.Figures;

namespace GanSharp.Tests.Figures;

public class ImageGridTests
{
    // Image n, pixel (y, x) of a 1-channel batch gets a distinct value.
    private static float[] GreyBatch(int n, int h, int w)
    {
        var data = new float[n * h * w];
        for (int i = 0; i < data.Length; i++) data[i] = (i % 251) / 250f;
        return data;
    }

    [Fact]
    public void Dimensions_AndAPixelAtAKnownPosition()
    {
        const int n = 15, h = 4, w = 6;
        float[] batch = GreyBatch(n, h, w);
        var grid = ImageGrid.Tile(batch, n, 1, h, w, new ImageGridOptions { Rows = 3, Cols = 5, Padding = 2, Background = 0 });

        Assert.Equal(5 * 6 + 6 * 2, grid.Width);
        Assert.Equal(3 * 4 + 4 * 2, grid.Height);
        Assert.Equal(1, grid.Channels);

        // Image 7 is row 1, col 2; its pixel (y=3, x=5) lands at
        // x = pad + col * (w + pad) + 5, y = pad + row * (h + pad) + 3.
        int k = 7, px = 2 + 2 * (6 + 2) + 5, py = 2 + 1 * (4 + 2) + 3;
        byte expected = (byte)(batch[k * h * w + 3 * w + 5] * 255 + 0.5f);
        Assert.Equal(expected, grid[px, py, 0]);
        Assert.Equal(0, grid[0, 0, 0]);    // padding
        Assert.Equal(0, grid[px + 1, py, 0]);
    }

    [Fact]
    public void Scale_RepeatsPixels_AndEmptyCellsAreBackground()
    {
        float[] batch = [0f, 1f, 0.5f, 0.25f]; // one 2x2 image
        var grid = ImageGrid.Tile(batch, 1, 1, 2, 2, new ImageGridOptions { Rows = 1, Cols = 2, Padding = 1, Scale = 3, Background = 1 });
        Assert.Equal((2 * 6 + 3, 6 + 2), (grid.Width, grid.Height));
        Assert.Equal(0, grid[1, 1, 0]);
        Assert.Equal(0, grid[3, 3, 0]);
        Assert.Equal(255, grid[4, 1, 0]);
        Assert.Equal(128, grid[1, 4, 0]);
        Assert.Equal(255, grid[10, 4, 0]); // second cell is empty
    }

    [Fact]
    public void RgbInput_IsChwAndValuesAreClamped()
    {
        // One 1x2 RGB image: planes R = [1, 0], G = [0, 2 (clamped)], B = [NaN -> 0, -1 -> 0].
        float[] chw = [1f, 0f, 0f, 2f, float.NaN, -1f];
        var grid = ImageGrid.Tile(chw, 1, 3, 1, 2, new ImageGridOptions { Padding = 0 });
        Assert.Equal((2, 1, 3), (grid.Width, grid.Height, grid.Channels));
        Assert.Equal(new byte[] { 255, 0, 0, 0, 255, 0 }, grid.Pixels);
    }

    [Fact]
    public void HighlightColumn_DrawsAColouredFrameInThePadding()
    {
        const int n = 6, h = 3, w = 3;
        var options = new ImageGridOptions { Rows = 2, Cols = 3, Padding = 2, Background = 0, HighlightColumn = 2, HighlightColor = Color.Yellow };
        var grid = ImageGrid.Tile(GreyBatch(n, h, w), n, 1, h, w, options);

        Assert.Equal(3, grid.Channels);
        int frameLeft = 2 + 2 * (w + 2) - 2; // the padding left of column 2
        Color At(int x, int y) => new(grid[x, y, 0], grid[x, y, 1], grid[x, y, 2]);
        Assert.Equal(Color.Yellow, At(frameLeft, 0));
        Assert.Equal(Color.Yellow, At(frameLeft + 1, grid.Height / 2));
        Assert.Equal(Color.Yellow, At(grid.Width - 1, grid.Height - 1));
        Assert.Equal(Color.Yellow, At(frameLeft + 3, 0));            // top edge above the column
        Assert.Equal(new Color(0, 0, 0), At(0, 0));                  // ordinary padding elsewhere
        Assert.NotEqual(Color.Yellow, At(frameLeft + 2, 2));         // the image itself is untouched
    }

    [Fact]
    public void Save_WritesAPng()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gansharp-grid-{Guid.NewGuid():N}.png");
        try
        {
            ImageGrid.Save(path, GreyBatch(4, 5, 5), 4, 1, 5, 5);
            var image = PngReader.Read(path);
            Assert.Equal((2 * 5 + 3 * 2, 2 * 5 + 3 * 2), (image.Width, image.Height)); // default: square layout, padding 2
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InvalidInput_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(new float[10], 1, 1, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Tile(new float[18], 1, 2, 3, 3));
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(new float[5 * 9], 5, 1, 3, 3, new ImageGridOptions { Rows = 2, Cols = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Tile(new float[9], 1, 1, 3, 3, new ImageGridOptions { Cols = 1, HighlightColumn = 1 }));
    }
}
