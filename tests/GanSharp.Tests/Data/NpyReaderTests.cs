using System.Buffers.Binary;
using System.Text;
using GanSharp.Data;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class NpyReaderTests
{
    [Fact]
    public void Writer_RoundTrips_AndWritesNumpysExactHeader()
    {
        using var dir = new TempFolder();
        float[] values = [.. Enumerable.Range(0, 24).Select(i => i * 0.5f - 3f)];
        string path = dir.Path("a.npy");
        NpyWriter.Write(path, values, [2, 3, 4]);

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], file[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64); // numpy aligns the data to 64 bytes
        string header = Encoding.ASCII.GetString(file, 10, headerLength);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 24 * 4, file.Length);

        NpyArray a = NpyReader.Read(path);
        Assert.Equal([2, 3, 4], a.Shape);
        Assert.Equal("<f4", a.Descr);
        Assert.Equal(values, a.Data);
    }

    [Theory]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 0, 3 }, "(0, 3)")]
    public void Writer_FormatsOneDimensional_Scalar_AndEmptyShapes(int[] shape, string expected)
    {
        using var dir = new TempFolder();
        string path = dir.Path("a.npy");
        float[] values = new float[shape.Aggregate(1, (p, d) => p * d)];
        NpyWriter.Write(path, values, shape);
        Assert.Contains($"'shape': {expected}, }}", File.ReadAllText(path, Encoding.Latin1));
        Assert.Equal(shape, NpyReader.Read(path).Shape);
    }

    [Fact]
    public void Writer_WritesADataset()
    {
        using var dir = new TempFolder();
        var d = new Dataset("pts", [1, 2, 3, 4, 5, 6], [2]);
        string path = dir.Path("pts.npy");
        NpyWriter.Write(path, d);
        Dataset back = NpyReader.LoadDataset(path, "pts", scaleBytes: false);
        Assert.Equal(3, back.Count);
        Assert.Equal([2], back.SampleShape);
        Assert.Equal(d.Data, back.Data);
    }

    [Fact]
    public void Uint8_IsScaledOnlyWhenAsked()
    {
        using var dir = new TempFolder();
        string path = dir.Write("u.npy", Npy(NpyDict("|u1", "(2, 3)"), [0, 1, 127, 128, 254, 255]));
        Assert.Equal([0f, 1, 127, 128, 254, 255], NpyReader.Read(path).Data);
        Assert.Equal(new byte[] { 0, 1, 127, 128, 254, 255 }.Select(b => b / 255f), NpyReader.Read(path, scaleBytes: true).Data);
        Assert.Equal("|u1", NpyReader.Read(path).Descr);
    }

    [Fact]
    public void Float64_IsConvertedToFloat32()
    {
        using var dir = new TempFolder();
        double[] values = [0.1, -2.5, 1e10, Math.PI];
        string path = dir.Write("d.npy", Npy(NpyDict("<f8", "(4,)"), Float64(values)));
        NpyArray a = NpyReader.Read(path);
        Assert.Equal(values.Select(v => (float)v), a.Data);
        Assert.Equal("<f8", a.Descr);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Versions2And3_AreRead(int major)
    {
        using var dir = new TempFolder();
        string path = dir.Write("v.npy", Npy(NpyDict("<f4", "(2,)"), Float32(1.5f, -1f), major));
        Assert.Equal([1.5f, -1f], NpyReader.Read(path).Data);
    }

    [Theory]
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2L,)}")]        // double quotes, Python 2 long
    [InlineData("{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}")]               // any key order, no trailing comma
    [InlineData("{ 'descr' : '<f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , ) , }")] // spacing
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 1), }")]
    public void HeaderSyntaxVariants_AreAccepted(string dictionary)
    {
        using var dir = new TempFolder();
        string path = dir.Write("h.npy", Npy(dictionary, Float32(1.5f, -1f)));
        Assert.Equal([1.5f, -1f], NpyReader.Read(path).Data);
    }

    [Fact]
    public void FortranOrder_IsRefusedClearly()
    {
        using var dir = new TempFolder();
        var ex = AssertRefused(() => NpyReader.Read(dir.Write("f.npy", Npy(NpyDict("<f4", "(2, 2)", fortran: true), new byte[16]))));
        Assert.Contains("Fortran-order", ex.Message);
    }

    [Theory]
    [InlineData("<i8", "unsupported dtype '<i8'")]
    [InlineData("<f2", "unsupported dtype '<f2'")]
    [InlineData(">f4", "big-endian")]
    [InlineData("|b1", "unsupported dtype")]
    [InlineData("<U3", "unsupported dtype")]
    public void BadDtypes_AreRefused(string descr, string message)
    {
        using var dir = new TempFolder();
        var ex = AssertRefused(() => NpyReader.Read(dir.Write("t.npy", Npy(NpyDict(descr, "(2,)"), new byte[16]))));
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "'fortran_order' missing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "duplicate key")]
    [InlineData("{'descr': '<f4', 'fortran_order': false, 'shape': (2,), }", "True or False")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "negative dimension")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", "expected '('")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }", "bad .npy header")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", "after the dictionary")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "expected ',' or '}'")]
    [InlineData("", "expected '{'")]
    public void MalformedHeaders_AreRefused(string dictionary, string message)
    {
        using var dir = new TempFolder();
        string path = dir.Write("m.npy", Npy(dictionary, new byte[8]));
        var ex = AssertRefused(() => NpyReader.Read(path));
        Assert.Contains(message, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void BadMagicAndVersions_AreRefused()
    {
        using var dir = new TempFolder();
        byte[] good = Npy(NpyDict("<f4", "(2,)"), Float32(1, 2));
        byte[] magic = [.. good];
        magic[1] = (byte)'X';
        Assert.Contains("not a .npy file", AssertRefused(() => NpyReader.Read(dir.Write("a.npy", magic))).Message);
        Assert.Contains("version 4.0", AssertRefused(() => NpyReader.Read(dir.Write("b.npy", Npy(NpyDict("<f4", "(2,)"), Float32(1, 2), major: 4)))).Message);
        Assert.Contains("version 1.1", AssertRefused(() => NpyReader.Read(dir.Write("c.npy", Npy(NpyDict("<f4", "(2,)"), Float32(1, 2), minor: 1)))).Message);
        Assert.Contains("not a .npy file", AssertRefused(() => NpyReader.Read(dir.Write("d.npy", "PK\x03\x04 a zip, not npy"u8))).Message);
    }

    [Fact]
    public void BadUtf8InAVersion3Header_IsRefused()
    {
        using var dir = new TempFolder();
        byte[] file = Npy(NpyDict("<f4", "(2,)"), Float32(1, 2), major: 3);
        file[14] = 0xFF; // inside the dictionary text
        Assert.Contains("UTF-8", AssertRefused(() => NpyReader.Read(dir.Write("u.npy", file))).Message);
    }

    [Fact]
    public void HeaderDisagreeingWithTheFileSize_IsRefused()
    {
        using var dir = new TempFolder();
        var ex = AssertRefused(() => NpyReader.Read(dir.Write("short.npy", Npy(NpyDict("<f4", "(3,)"), Float32(1, 2)))));
        Assert.Contains("12 bytes of data, but the file holds 8 (truncated)", ex.Message);
        ex = AssertRefused(() => NpyReader.Read(dir.Write("long.npy", Npy(NpyDict("<f4", "(1,)"), Float32(1, 2)))));
        Assert.Contains("4 bytes of data, but the file holds 8", ex.Message);
    }

    [Fact]
    public void TruncatedAtEveryOffset_IsRefused()
    {
        using var dir = new TempFolder();
        foreach (int major in new[] { 1, 2 })
        {
            byte[] file = Npy(NpyDict("|u1", "(2, 3)"), [1, 2, 3, 4, 5, 6], major);
            string path = dir.Path($"cut{major}.npy");
            for (int length = 0; length < file.Length; length++)
            {
                File.WriteAllBytes(path, file[..length]);
                Assert.Contains(path, AssertRefused(() => NpyReader.Read(path)).Message);
            }
        }
    }

    [Fact]
    public void AbsurdShapesAndHeaderLengths_AreRefusedWithoutAllocating()
    {
        using var dir = new TempFolder();
        AssertRefused(() => NpyReader.Read(dir.Write("a.npy", Npy(NpyDict("<f8", "(2147483647, 2147483647)"), []))), 1 << 20);
        AssertRefused(() => NpyReader.Read(dir.Write("b.npy", Npy(NpyDict("<f4", "(99999999999999999999999,)"), []))), 1 << 20);
        AssertRefused(() => NpyReader.Read(dir.Write("c.npy", Npy(NpyDict("<f4", "(0, 1048576, 1048576)"), []))), 1 << 20);
        // Within the element limit, but the file holds none of it.
        AssertRefused(() => NpyReader.Read(dir.Write("d.npy", Npy(NpyDict("<f4", "(268435456,)"), []))), 1 << 20);
        AssertRefused(() => NpyReader.Read(dir.Write("e.npy", Npy(NpyDict("<f4", $"({string.Join(", ", Enumerable.Repeat(1, 40))})"), Float32(1)))), 1 << 20);

        // A version 2 header claiming 4 GiB of header text.
        byte[] huge = Npy(NpyDict("<f4", "(1,)"), Float32(1), major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(8), uint.MaxValue);
        Assert.Contains("header length", AssertRefused(() => NpyReader.Read(dir.Write("f.npy", huge)), 1 << 20).Message);
    }

    [Fact]
    public void LoadDataset_SplitsOffTheExampleAxis_AndReadsLabels()
    {
        using var dir = new TempFolder();
        string data = dir.Write("x.npy", Npy(NpyDict("|u1", "(3, 1, 2, 2)"), RandomBytes(12, seed: 6)));
        string labels = dir.Write("y.npy", Npy(NpyDict("|u1", "(3,)"), [2, 0, 5]));

        Dataset d = NpyReader.LoadDataset(data, "faces", scaleBytes: true, labels);
        Assert.Equal(3, d.Count);
        Assert.Equal([1, 2, 2], d.SampleShape);
        Assert.Equal([2, 0, 5], d.Labels!);
        Assert.Equal(6, d.ClassCount);
        Assert.All(d.Data, v => Assert.InRange(v, 0f, 1f));

        Dataset scalars = NpyReader.LoadDataset(dir.Write("s.npy", Npy(NpyDict("<f4", "(3,)"), Float32(1, 2, 3))), "s", scaleBytes: false);
        Assert.Equal([1], scalars.SampleShape);
        Assert.Equal(3, scalars.Count);

        string wrongCount = dir.Write("y2.npy", Npy(NpyDict("|u1", "(2,)"), [1, 1]));
        AssertRefused(() => NpyReader.LoadDataset(data, "x", true, wrongCount));
        string fractional = dir.Write("y3.npy", Npy(NpyDict("<f4", "(3,)"), Float32(1, 0.5f, 2)));
        Assert.Contains("whole numbers", AssertRefused(() => NpyReader.LoadDataset(data, "x", true, fractional)).Message);
        AssertRefused(() => NpyReader.LoadDataset(dir.Write("z.npy", Npy(NpyDict("<f4", "()"), Float32(1))), "x", false));
        AssertRefused(() => NpyReader.LoadDataset(dir.Write("e.npy", Npy(NpyDict("<f4", "(2, 0)"), [])), "x", false));
    }
}
