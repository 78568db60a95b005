using GanSharp.Figures;
using GanSharp.IO;
using GanSharp.Tests.Data;

namespace GanSharp.Tests.IO;

public class TensorBoardEventWriterTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void The_file_is_named_for_tensorboard_and_starts_with_the_version_event()
    {
        using var dir = new TempFolder();
        string path;
        using (var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon))) path = writer.Path;

        Assert.Equal($"events.out.tfevents.{Noon.ToUnixTimeSeconds()}.{Environment.MachineName}", Path.GetFileName(path));
        var e = Assert.Single(TfEventsTestReader.Read(path));
        Assert.Equal("brain.Event:2", e.FileVersion);
        Assert.Equal(Noon.ToUnixTimeMilliseconds() / 1000.0, e.WallTime);
        Assert.Equal(0, e.Step);
        Assert.Empty(e.Values);
    }

    [Fact]
    public void Scalars_keep_their_tags_steps_and_exact_float_values()
    {
        using var dir = new TempFolder();
        string path;
        using (var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon)))
        {
            path = writer.Path;
            writer.WriteScalars(10, ["d_loss", "g_loss"], [1.25f, -0.1f]);
            writer.WriteScalars(5_000_000_000L, ["d_real/über"], [float.NaN]); // step past int32, a non-ASCII tag
            writer.WriteScalars(20, ["d_loss", "g_loss"], [float.MaxValue, float.Epsilon]);
        }

        var events = TfEventsTestReader.Read(path);
        Assert.Equal(4, events.Count);
        Assert.Equal([10L, 5_000_000_000L, 20L], events.Skip(1).Select(e => e.Step));
        Assert.All(events.Skip(1), e => Assert.Null(e.FileVersion));
        Assert.Equal([("d_loss", 1.25f), ("g_loss", -0.1f)], events[1].Values.Select(v => (v.Tag, v.SimpleValue!.Value)));
        Assert.Equal("d_real/über", events[2].Values[0].Tag);
        Assert.True(float.IsNaN(events[2].Values[0].SimpleValue!.Value));
        Assert.Equal([float.MaxValue, float.Epsilon], events[3].Values.Select(v => v.SimpleValue!.Value));
    }

    [Fact]
    public void Images_carry_size_colorspace_and_the_png_unchanged()
    {
        using var dir = new TempFolder();
        // Noise does not compress, so the PNG needs a three-byte length inside nested messages.
        var pixels = new byte[120 * 90 * 3];
        new Random(5).NextBytes(pixels);
        byte[] rgb = PngWriter.Encode(120, 90, 3, pixels);
        byte[] grey = PngWriter.Encode(2, 3, 1, [0, 50, 100, 150, 200, 250]);
        Assert.True(rgb.Length > 16384);
        string path;
        using (var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon)))
        {
            path = writer.Path;
            writer.WriteImage(1000, "samples", 120, 90, 3, rgb);
            writer.WriteImage(2000, "samples", 2, 3, 1, grey);
        }

        var events = TfEventsTestReader.Read(path);
        var first = Assert.Single(events[1].Values);
        Assert.Equal(1000, events[1].Step);
        Assert.Equal("samples", first.Tag);
        Assert.Null(first.SimpleValue);
        Assert.Equal((90, 120, 3), (first.Image!.Height, first.Image.Width, first.Image.Colorspace));
        Assert.Equal(rgb, first.Image.Encoded);
        Assert.Equal(pixels, PngReader.Decode(first.Image.Encoded).Pixels);

        var second = Assert.Single(events[2].Values).Image!;
        Assert.Equal((3, 2, 1), (second.Height, second.Width, second.Colorspace));
        Assert.Equal(grey, second.Encoded);
    }

    [Fact]
    public void A_second_writer_adds_a_file_and_leaves_the_first_alone()
    {
        using var dir = new TempFolder();
        var clock = new FixedClock(Noon); // same second: the names would collide
        using (var first = TensorBoardEventWriter.Create(dir.Root, clock)) first.WriteScalars(10, ["x"], [1f]);
        using (var second = TensorBoardEventWriter.Create(dir.Root, clock))
        {
            second.WriteSessionStart(11);
            second.WriteScalars(20, ["x"], [2f]);
        }

        var files = TfEventsTestReader.Files(dir.Root);
        Assert.Equal(2, files.Count);
        Assert.Equal(Path.GetFileName(files[0]) + ".1", Path.GetFileName(files[1]));
        Assert.Equal(10, TfEventsTestReader.Read(files[0])[1].Step);
        var resumed = TfEventsTestReader.Read(files[1]);
        Assert.Equal("brain.Event:2", resumed[0].FileVersion);
        Assert.Equal((11L, 1), (resumed[1].Step, resumed[1].SessionStatus!.Value));
        Assert.Empty(resumed[1].Values);
        Assert.Equal([10L, 20L], TfEventsTestReader.MergedScalars(dir.Root).Keys);
    }

    [Fact]
    public void Flushed_records_are_readable_while_the_writer_is_still_open()
    {
        using var dir = new TempFolder();
        using var writer = TensorBoardEventWriter.Create(dir.Root);
        writer.WriteScalars(10, ["x"], [1f]);
        writer.Flush();
        Assert.Equal(2, TfEventsTestReader.Read(writer.Path).Count); // what a killed run leaves
        writer.WriteScalars(20, ["x"], [2f]);
        writer.Flush();
        Assert.Equal([10L, 20L], TfEventsTestReader.Read(writer.Path).Skip(1).Select(e => e.Step));
    }

    /// <summary>
    /// The exact bytes of a file, pinned from the hand-written encoder this writer used before it moved to
    /// Google.Protobuf: field order, varint widths and length prefixes must not change under TensorBoard.
    /// </summary>
    [Fact]
    public void Scalar_and_session_events_keep_their_exact_bytes()
    {
        using var dir = new TempFolder();
        string path;
        using (var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon)))
        {
            path = writer.Path;
            writer.WriteSessionStart(7);
            writer.WriteScalars(10, ["d_loss", "g_loss"], [1.25f, -0.1f]);
            writer.WriteScalars(5_000_000_000L, ["d_real/über"], [float.NaN]);
            // A 150-byte tag: the Summary.Value and Summary lengths take two bytes.
            writer.WriteScalars(-1, [new string('t', 150)], [float.NegativeInfinity]);
        }

        Assert.Equal(ScalarFileHex, Convert.ToHexString(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Image_events_keep_their_exact_bytes()
    {
        using var dir = new TempFolder();
        // 20,000 bytes: three-byte length prefixes at every level of nesting.
        var encoded = new byte[20_000];
        for (int i = 0; i < encoded.Length; i++) encoded[i] = (byte)(i * 31 + (i >> 8));
        string path;
        using (var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon)))
        {
            path = writer.Path;
            writer.WriteImage(1000, "samples", 120, 90, 3, encoded);
            writer.WriteImage(2000, "samples/grey", 2, 3, 1, [1, 2, 3]);
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(20_158, bytes.Length);
        Assert.Equal(ImageFileSha256, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public void Scalar_rows_allocate_nothing_once_the_buffers_have_grown()
    {
        using var dir = new TempFolder();
        using var writer = TensorBoardEventWriter.Create(dir.Root, new FixedClock(Noon));
        string[] tags = ["d_loss", "g_loss", "d_real/über"];
        float[] values = [1.25f, -0.1f, 0.5f];
        for (int step = 0; step < 10; step++) writer.WriteScalars(step, tags, values);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 10; step < 110; step++) writer.WriteScalars(step, tags, values);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private const string ScalarFileHex =
        "1800000000000000A37F4B2209000010B0BDF0D9411A0D627261696E2E4576656E743A320BC6D0FE0F00000000000000" +
        "6D532B0909000010B0BDF0D94110073A020801396647AF2B00000000000000861BC34B09000010B0BDF0D941100A2A1E" +
        "0A0D0A06645F6C6F7373150000A03F0A0D0A06675F6C6F737315CDCCCCBDD789910E2600000000000000734FE3000900" +
        "0010B0BDF0D9411080E497D0122A150A130A0C645F7265616C2FC3BC626572150000C0FF36F8E20EB800000000000000" +
        "A0D1B53A09000010B0BDF0D94110FFFFFFFFFFFFFFFFFF012AA1010A9E010A9601747474747474747474747474747474" +
        "747474747474747474747474747474747474747474747474747474747474747474747474747474747474747474747474" +
        "747474747474747474747474747474747474747474747474747474747474747474747474747474747474747474747474" +
        "74747474747474747474747474747474747474747474747474747474747474747474747474747415000080FF648BE5B7";
    private const string ImageFileSha256 = "658275BD5EAC0BF7D1F12445DECBCD003911E1326651D7D1CE4881B130E0D3C2";

    [Fact]
    public void Mismatched_tags_and_values_are_refused()
    {
        using var dir = new TempFolder();
        using var writer = TensorBoardEventWriter.Create(dir.Root);
        Assert.Throws<ArgumentException>(() => writer.WriteScalars(1, ["a", "b"], [1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteImage(1, "x", 1, 1, 5, [1]));
    }
}
