using GanSharp.IO;
using GanSharp.Tensors;
using static GanSharp.Tests.IO.SafeTensorsTestFiles;

namespace GanSharp.Tests.IO;

/// <summary>Files assembled by hand the way other safetensors writers (PyTorch's, hand-edited headers) produce them.</summary>
public class SafeTensorsReferenceFileTests
{
    // What safetensors.torch.save_file({"weight": torch.tensor([[1., 2.], [3., 4.]])}, path, metadata={"format": "pt"})
    // writes: 93 bytes of compact JSON padded with 3 spaces to 96, then the float32 data.
    private static readonly byte[] TorchWeightFile = Build(
        """{"__metadata__":{"format":"pt"},"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""" + "   ",
        F32(1, 2, 3, 4));

    [Fact]
    public void TorchStyleFile_LoadsFromDisk()
    {
        Assert.Equal(96, TorchWeightFile[0]);
        string dir = NewTempFolder();
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            File.WriteAllBytes(path, TorchWeightFile);

            var file = SafeTensorsFile.Load(path);

            Assert.Equal(["weight"], file.Names);
            Assert.Equal("pt", file.Metadata["format"]);
            var info = file.Info("weight");
            Assert.Equal(("F32", 0L, 16L), (info.DType, info.Begin, info.End));
            var weight = file.GetTensor("weight");
            Assert.Equal(new Shape(2, 2), weight.Shape);
            Assert.Equal(3f, weight.At(1, 0));
            Assert.Equal([1f, 2f, 3f, 4f], weight.ToArray());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Writer_ReproducesTorchStyleFileExactly()
    {
        byte[] ours = new SafeTensorsWriter()
            .SetMetadata("format", "pt")
            .Add("weight", Tensor.From([1f, 2f, 3f, 4f], 2, 2))
            .ToArray();

        Assert.Equal(TorchWeightFile, ours);
    }

    [Fact]
    public void FileWithoutMetadataOrPadding_Loads()
    {
        // 62 bytes of JSON, deliberately not padded: padding is a writer convention, not a rule.
        var file = SafeTensorsFile.Parse(Build("""{"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", F32(1, 2, 3, 4)));

        Assert.Empty(file.Metadata);
        Assert.Equal([1f, 2f, 3f, 4f], file.GetFloat32("weight"));
    }

    [Fact]
    public void LenientButValidHeaders_Load()
    {
        // Entries out of offset order, pretty-printed, an unknown field (ignored as the reference does),
        // an escaped name, null metadata, and two zero-size tensors sharing an offset.
        const string json = """

            {
              "b" : { "data_offsets" : [8, 16], "shape" : [ 2 ], "dtype" : "F32", "extra": {"nested": [1, {"x": null}]} },
              "__metadata__" : null,
              "\u0061" : { "dtype" : "I64", "shape" : [], "data_offsets" : [0, 8] },
              "z2" : { "dtype" : "F64", "shape" : [0, 5], "data_offsets" : [16, 16] },
              "z1" : { "dtype" : "U8", "shape" : [0], "data_offsets" : [16, 16] }
            }

            """;
        var file = SafeTensorsFile.Parse(Build(json, Concat(I64(-9), F32(0.5f, 1.5f))));

        Assert.Equal(["a", "b", "z1", "z2"], file.Names);
        Assert.Equal([-9L], file.GetInt64("a"));
        Assert.Equal([0.5f, 1.5f], file.GetFloat32("b"));
        Assert.Empty(file.GetFloat64("z2"));
        Assert.Empty(file.GetUInt8("z1"));
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void OtherDtypes_CanBeInspected_ButNotReadAsFloat32()
    {
        // BF16 and F16 are common in downloaded models; the file is valid even though we cannot convert them.
        var file = SafeTensorsFile.Parse(Build(
            """{"h":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},"f":{"dtype":"F16","shape":[1],"data_offsets":[4,6]},"q":{"dtype":"F4","shape":[4],"data_offsets":[6,8]}}""",
            [0x80, 0x3F, 0x00, 0x40, 0x00, 0x3C, 0x12, 0x34]));

        var info = file.Info("h");
        Assert.Equal(("BF16", 2L, 4L), (info.DType, info.ElementCount, info.ByteLength));
        Assert.Equal(4, file.Info("q").ElementCount); // four 4-bit values in two bytes
        var e = Assert.Throws<InvalidCastException>(() => file.GetFloat32("h"));
        Assert.Contains("BF16", e.Message);
        Assert.Throws<InvalidCastException>(() => file.GetTensor("f"));
    }

    [Fact]
    public void HighRankTensor_ReadsAsArray_ButNotAsGanSharpTensor()
    {
        var file = SafeTensorsFile.Parse(Build(
            """{"r7":{"dtype":"F32","shape":[1,1,1,1,1,1,2],"data_offsets":[0,8]}}""", F32(1, 2)));

        Assert.Equal([1f, 2f], file.GetFloat32("r7"));
        Assert.Throws<NotSupportedException>(() => file.GetTensor("r7"));
    }
}
