using GanSharp.IO;
using GanSharp.Tensors;

namespace GanSharp.Tests.IO;

public class SafeTensorsRoundTripTests
{
    private static SafeTensorsWriter SampleWriter() => new SafeTensorsWriter()
        .AddFloat32("net.weight", [1.5f, -2f, 0f, float.MaxValue, float.Epsilon, -0f], 2, 3)
        .AddFloat32("net.bias", [0.25f], 1)
        .AddFloat32("loss", [3.75f])                         // scalar: shape []
        .AddFloat32("empty", ReadOnlySpan<float>.Empty, 0, 4) // zero-size
        .AddFloat64("history", [Math.PI, -1e300, double.NaN], 3)
        .AddInt64("step", [123_456_789_012L])
        .AddInt64("counts", [long.MinValue, -1, 0, long.MaxValue], 2, 2)
        .AddUInt64("rng", [ulong.MaxValue, 0x0123456789ABCDEFUL, 1], 3)
        .AddUInt8("mask", [0, 1, 255, 7, 9], 5)
        .AddUInt8("no_bytes", ReadOnlySpan<byte>.Empty, 2, 0, 3)
        .SetMetadata("format", "pt")
        .SetMetadata("note", "quote \" backslash \\ newline \n tab \t ctrl \u0001 del \u007f é ∑ 🙂");

    [Fact]
    public void RoundTrip_AllDtypesShapesAndMetadata()
    {
        var file = SafeTensorsFile.Parse(SampleWriter().ToArray());

        Assert.Equal(10, file.Count);
        Assert.Equal(new float[] { 1.5f, -2f, 0f, float.MaxValue, float.Epsilon, -0f }, file.GetFloat32("net.weight"));
        Assert.True(BitConverter.SingleToInt32Bits(file.GetFloat32("net.weight")[5]) < 0, "negative zero keeps its sign");
        Assert.Equal([0.25f], file.GetFloat32("net.bias"));
        Assert.Equal([3.75f], file.GetFloat32("loss"));
        Assert.Empty(file.GetFloat32("empty"));
        var history = file.GetFloat64("history");
        Assert.Equal(Math.PI, history[0]);
        Assert.Equal(-1e300, history[1]);
        Assert.True(double.IsNaN(history[2]));
        Assert.Equal([123_456_789_012L], file.GetInt64("step"));
        Assert.Equal(new[] { long.MinValue, -1, 0, long.MaxValue }, file.GetInt64("counts"));
        Assert.Equal(new[] { ulong.MaxValue, 0x0123456789ABCDEFUL, 1UL }, file.GetUInt64("rng"));
        Assert.Equal(new byte[] { 0, 1, 255, 7, 9 }, file.GetUInt8("mask"));
        Assert.Empty(file.GetUInt8("no_bytes"));

        Assert.Equal(2, file.Metadata.Count);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("quote \" backslash \\ newline \n tab \t ctrl \u0001 del \u007f é ∑ 🙂", file.Metadata["note"]);
    }

    [Fact]
    public void Info_ReportsDtypeShapeAndOffsets()
    {
        var file = SafeTensorsFile.Parse(SampleWriter().ToArray());

        var weight = file.Info("net.weight");
        Assert.Equal("F32", weight.DType);
        Assert.Equal(new long[] { 2, 3 }, weight.Shape);
        Assert.Equal(6, weight.ElementCount);
        Assert.Equal(24, weight.ByteLength);

        var loss = file.Info("loss");
        Assert.Equal(0, loss.Rank);
        Assert.Equal(1, loss.ElementCount);

        var empty = file.Info("no_bytes");
        Assert.Equal(new long[] { 2, 0, 3 }, empty.Shape);
        Assert.Equal(0, empty.ElementCount);
        Assert.Equal(empty.Begin, empty.End);

        Assert.Equal("I64", file.Info("step").DType);
        Assert.Equal("U64", file.Info("rng").DType);
        Assert.Equal("F64", file.Info("history").DType);
        Assert.Equal("U8", file.Info("mask").DType);

        // Names come in data order, and the data regions tile the data section.
        long end = 0;
        foreach (string name in file.Names)
        {
            var info = file.Info(name);
            Assert.Equal(end, info.Begin);
            end = info.End;
        }
        Assert.True(file.Contains("mask"));
        Assert.False(file.Contains("Mask"));
    }

    [Fact]
    public void GetTensor_ReturnsShapeAndValues_EvenForStridedSource()
    {
        var source = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var file = SafeTensorsFile.Parse(new SafeTensorsWriter()
            .Add("m", source)
            .Add("mt", source.T())          // strided view: written in its logical row-major order
            .Add("s", Tensor.Scalar(-4f))
            .Add("z", Tensor.Zeros(3, 0))
            .ToArray());

        var m = file.GetTensor("m");
        Assert.Equal(new Shape(2, 3), m.Shape);
        Assert.Equal(source.ToArray(), m.ToArray());

        var mt = file.GetTensor("mt");
        Assert.Equal(new Shape(3, 2), mt.Shape);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, mt.ToArray());

        var s = file.GetTensor("s");
        Assert.Equal(0, s.Rank);
        Assert.Equal(-4f, s.Item());

        Assert.Equal(new Shape(3, 0), file.GetTensor("z").Shape);
    }

    [Fact]
    public void SaveAndLoad_RoundTrip_LeavesNoTempFiles_AndReplacesExistingFile()
    {
        string dir = SafeTensorsTestFiles.NewTempFolder();
        try
        {
            string path = Path.Combine(dir, "ckpt.safetensors");
            File.WriteAllText(path, "old contents");

            var writer = SampleWriter();
            writer.Save(path);

            Assert.Equal([path], Directory.GetFiles(dir));
            Assert.Equal(writer.ToArray(), File.ReadAllBytes(path));
            var file = SafeTensorsFile.Load(path);
            Assert.Equal(path, file.Source);
            Assert.Equal([123_456_789_012L], file.GetInt64("step"));

            // Saving again over the file also leaves exactly one file.
            new SafeTensorsWriter().AddInt64("step", [5]).Save(path);
            Assert.Equal([path], Directory.GetFiles(dir));
            Assert.Equal([5L], SafeTensorsFile.Load(path).GetInt64("step"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Save_WhenTargetCannotBeReplaced_LeavesNoTempFiles()
    {
        string dir = SafeTensorsTestFiles.NewTempFolder();
        try
        {
            // A folder where the file should go makes the final move fail.
            string path = Path.Combine(dir, "taken");
            Directory.CreateDirectory(path);

            Assert.NotNull(Record.Exception(() => SampleWriter().Save(path))); // IOException on Unix, UnauthorizedAccessException on Windows

            Assert.Empty(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void MissingName_ThrowsKeyNotFound_NamingFileAndTensor()
    {
        string dir = SafeTensorsTestFiles.NewTempFolder();
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            SampleWriter().Save(path);
            var file = SafeTensorsFile.Load(path);

            var e = Assert.Throws<KeyNotFoundException>(() => file.GetFloat32("net.weights"));
            Assert.Contains(path, e.Message);
            Assert.Contains("'net.weights'", e.Message);
            Assert.Throws<KeyNotFoundException>(() => file.Info("absent"));
            Assert.Throws<KeyNotFoundException>(() => file.GetTensor("absent"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WrongDtype_ThrowsInvalidCast_NamingTheDtypeFound()
    {
        var file = SafeTensorsFile.Parse(SampleWriter().ToArray(), "ckpt.safetensors");

        var e = Assert.Throws<InvalidCastException>(() => file.GetFloat32("step"));
        Assert.Contains("I64", e.Message);
        Assert.Contains("'step'", e.Message);
        Assert.Contains("ckpt.safetensors", e.Message);
        Assert.Throws<InvalidCastException>(() => file.GetTensor("history"));
        Assert.Throws<InvalidCastException>(() => file.GetInt64("rng"));
        Assert.Throws<InvalidCastException>(() => file.GetUInt64("step"));
        Assert.Throws<InvalidCastException>(() => file.GetFloat64("net.weight"));
        Assert.Throws<InvalidCastException>(() => file.GetUInt8("loss"));
    }

    [Fact]
    public void EmptyWriter_ProducesALoadableFileWithNoTensors()
    {
        var file = SafeTensorsFile.Parse(new SafeTensorsWriter().ToArray());

        Assert.Equal(0, file.Count);
        Assert.Empty(file.Names);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Writer_CopiesDataWhenAdded()
    {
        float[] data = [1f, 2f];
        var writer = new SafeTensorsWriter().AddFloat32("v", data, 2);
        data[0] = 99f;

        Assert.Equal([1f, 2f], SafeTensorsFile.Parse(writer.ToArray()).GetFloat32("v"));
    }

    [Fact]
    public void Writer_RejectsBadArguments()
    {
        var writer = new SafeTensorsWriter().AddFloat32("a", [1f]);

        Assert.Throws<ArgumentException>(() => writer.AddFloat32("a", [2f]));                 // duplicate
        Assert.Throws<ArgumentException>(() => writer.AddInt64("a", [2L]));                   // duplicate across dtypes
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("b", [1f, 2f, 3f], 2, 2));   // too few values
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("b", [1f, 2f], 1));          // too many values
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("b", [1f], -1));             // negative dimension
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("b", [], int.MaxValue, int.MaxValue, int.MaxValue)); // huge, no overflow
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("__metadata__", [1f]));      // reserved
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("bad\uD800", [1f]));         // lone surrogate
        Assert.Throws<ArgumentException>(() => writer.SetMetadata("k", "\uDC00"));
        Assert.Equal(1, writer.Count);
    }
}
