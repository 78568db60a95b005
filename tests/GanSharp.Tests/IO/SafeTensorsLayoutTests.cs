using System.Text;
using GanSharp.IO;
using static GanSharp.Tests.IO.SafeTensorsTestFiles;

namespace GanSharp.Tests.IO;

/// <summary>Byte-exact output, checked against files assembled by hand and against the reference writer's published vectors.</summary>
public class SafeTensorsLayoutTests
{
    [Fact]
    public void SmallFile_IsByteExact()
    {
        byte[] actual = new SafeTensorsWriter()
            .AddFloat32("b", [1f, -2f], 2)
            .AddInt64("a", [7L])
            .SetMetadata("k", "v")
            .ToArray();

        // 132 bytes of JSON, padded with 4 spaces to 136; I64 data first (wider dtype), then F32.
        const string json = """{"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""";
        Assert.Equal(132, json.Length);
        byte[] expected =
        [
            136, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(json), 32, 32, 32, 32,
            7, 0, 0, 0, 0, 0, 0, 0,            // 7L
            0x00, 0x00, 0x80, 0x3F,            // 1f
            0x00, 0x00, 0x00, 0xC0,            // -2f
        ];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MatchesReferenceVector_SingleF32Tensor_NoPaddingNeeded()
    {
        // The reference implementation's own serialization test: "attn.0", F32 [1,2,3], values 0..5.
        byte[] actual = new SafeTensorsWriter().AddFloat32("attn.0", [0f, 1f, 2f, 3f, 4f, 5f], 1, 2, 3).ToArray();

        byte[] expected = Build("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}""", F32(0, 1, 2, 3, 4, 5));
        Assert.Equal(64, expected[0]);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MatchesReferenceVector_PaddingForcesAlignment()
    {
        byte[] actual = new SafeTensorsWriter().AddFloat32("attn0", [0f, 1f, 2f, 3f, 4f, 5f], 1, 1, 2, 3).ToArray();

        // 65 bytes of JSON + 7 spaces = 72.
        byte[] expected = Build("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""" + "       ", F32(0, 1, 2, 3, 4, 5));
        Assert.Equal(72, expected[0]);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MatchesReferenceVectors_EmptyFiles()
    {
        Assert.Equal(Build("{}      ", []), new SafeTensorsWriter().ToArray());
        Assert.Equal(
            Build("""{"__metadata__":{"framework":"pt"}}""" + "     ", []),
            new SafeTensorsWriter().SetMetadata("framework", "pt").ToArray());
    }

    [Fact]
    public void Output_DoesNotDependOnInsertionOrder()
    {
        var a = new SafeTensorsWriter().AddFloat32("x", [1f]).AddFloat32("y", [2f]).AddUInt8("m", [1]).SetMetadata("b", "2").SetMetadata("a", "1");
        var b = new SafeTensorsWriter().SetMetadata("a", "1").AddUInt8("m", [1]).AddFloat32("y", [2f]).SetMetadata("b", "2").AddFloat32("x", [1f]);

        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void EveryTensor_StartsAlignedToItsElementSize()
    {
        byte[] bytes = new SafeTensorsWriter()
            .AddUInt8("a_odd", [1, 2, 3], 3)
            .AddFloat32("b_f32", [1f, 2f, 3f], 3)
            .AddFloat64("c_f64", [1.0], 1)
            .AddUInt8("d_odd", [4], 1)
            .AddInt64("e_i64", [1L], 1)
            .AddUInt64("f_u64", [1UL], 1)
            .ToArray();
        var file = SafeTensorsFile.Parse(bytes);

        long dataStart = bytes.Length - file.Tensors.Sum(t => t.ByteLength);
        Assert.Equal(0, dataStart % 8);
        // Widest first, then by name within a dtype (as the reference orders them).
        Assert.Equal(["f_u64", "e_i64", "c_f64", "b_f32", "a_odd", "d_odd"], file.Names);
        foreach (var t in file.Tensors)
        {
            int size = t.DType switch { "U8" => 1, "F32" => 4, _ => 8 };
            Assert.Equal(0, (dataStart + t.Begin) % size);
        }
    }

    [Fact]
    public void Names_AreEscapedAsJsonAndStoredAsUtf8()
    {
        byte[] actual = new SafeTensorsWriter().AddUInt8("a\"é\n\u001f", [9]).ToArray();

        // serde_json style: short escapes, \u00XX (lower-case hex) for other controls, raw UTF-8 otherwise.
        byte[] expected = Build("""{"a\"é\n\u001f":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}""", [9]);
        Assert.Equal(64, expected[0]); // 64 bytes of JSON (é is two): no padding
        Assert.Equal(expected, actual);
        Assert.Equal([(byte)9], SafeTensorsFile.Parse(actual).GetUInt8("a\"é\n\u001f"));
    }
}
