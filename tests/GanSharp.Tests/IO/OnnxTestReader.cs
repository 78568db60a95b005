using Google.Protobuf;
using GanSharp.IO;

namespace GanSharp.Tests.IO;

internal sealed record DecodedModel(long IrVersion, string ProducerName, List<(string Domain, long Version)> Opsets, DecodedGraph Graph);

internal sealed record DecodedGraph(string Name, List<OnnxNode> Nodes, List<OnnxInitializer> Initializers, List<OnnxValueInfo> Inputs, List<OnnxValueInfo> Outputs);

/// <summary>
/// Decodes ModelProto bytes with Google.Protobuf's wire reader and onnx.proto3's field numbers,
/// written independently of <see cref="OnnxWriter"/> so the tests check the encoding, not echo it.
/// Unknown fields are skipped, as any protobuf reader does; repeated ints are read packed or not.
/// </summary>
internal static class OnnxTestReader
{
    public static DecodedModel Read(byte[] bytes)
    {
        long ir = 0;
        string producer = "";
        var opsets = new List<(string, long)>();
        DecodedGraph? graph = null;
        Fields(bytes, (field, input, _) =>
        {
            switch (field)
            {
                case 1: ir = input.ReadInt64(); break;
                case 2: producer = input.ReadString(); break;
                case 7: graph = ReadGraph(input.ReadBytes().ToByteArray()); break;
                case 8:
                    string domain = "";
                    long version = 0;
                    Fields(input.ReadBytes().ToByteArray(), (f, o, _) =>
                    {
                        if (f == 1) domain = o.ReadString();
                        else if (f == 2) version = o.ReadInt64();
                        else o.SkipLastField();
                    });
                    opsets.Add((domain, version));
                    break;
                default: input.SkipLastField(); break;
            }
        });
        return new DecodedModel(ir, producer, opsets, graph ?? throw new InvalidDataException("ModelProto has no graph."));
    }

    private static DecodedGraph ReadGraph(byte[] bytes)
    {
        string name = "";
        List<OnnxNode> nodes = [];
        List<OnnxInitializer> initializers = [];
        List<OnnxValueInfo> inputs = [], outputs = [];
        Fields(bytes, (field, input, _) =>
        {
            switch (field)
            {
                case 1: nodes.Add(ReadNode(input.ReadBytes().ToByteArray())); break;
                case 2: name = input.ReadString(); break;
                case 5: initializers.Add(ReadTensor(input.ReadBytes().ToByteArray())); break;
                case 11: inputs.Add(ReadValueInfo(input.ReadBytes().ToByteArray())); break;
                case 12: outputs.Add(ReadValueInfo(input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;
            }
        });
        return new DecodedGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(byte[] bytes)
    {
        List<string> inputs = [], outputs = [];
        string name = "", opType = "";
        List<OnnxAttribute> attributes = [];
        Fields(bytes, (field, input, _) =>
        {
            switch (field)
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 2: outputs.Add(input.ReadString()); break;
                case 3: name = input.ReadString(); break;
                case 4: opType = input.ReadString(); break;
                case 5: attributes.Add(ReadAttribute(input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;
            }
        });
        return new OnnxNode(opType, name, [.. inputs], [.. outputs], [.. attributes]);
    }

    private static OnnxAttribute ReadAttribute(byte[] bytes)
    {
        string name = "";
        float f = 0;
        long i = 0, type = 0;
        List<long> ints = [];
        Fields(bytes, (field, input, wire) =>
        {
            switch (field)
            {
                case 1: name = input.ReadString(); break;
                case 2: f = input.ReadFloat(); break;
                case 3: i = input.ReadInt64(); break;
                case 8: Int64s(input, wire, ints); break;
                case 20: type = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        });
        return new OnnxAttribute(name, (OnnxAttributeType)type, f, i, [.. ints]);
    }

    private static OnnxInitializer ReadTensor(byte[] bytes)
    {
        List<long> dims = [];
        long type = 0;
        string name = "";
        byte[] raw = [];
        Fields(bytes, (field, input, wire) =>
        {
            switch (field)
            {
                case 1: Int64s(input, wire, dims); break;
                case 2: type = input.ReadInt32(); break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes().ToByteArray(); break;
                default: input.SkipLastField(); break;
            }
        });
        return new OnnxInitializer(name, [.. dims], (OnnxDataType)type, raw);
    }

    /// <summary>ValueInfoProto -> TypeProto -> TypeProto.Tensor -> TensorShapeProto -> Dimension; only float tensors are expected.</summary>
    private static OnnxValueInfo ReadValueInfo(byte[] bytes)
    {
        string name = "";
        List<OnnxDimension> shape = [];
        Fields(bytes, (field, input, _) =>
        {
            if (field == 1) name = input.ReadString();
            else if (field == 2)
                Fields(input.ReadBytes().ToByteArray(), (typeField, type, _) =>
                {
                    if (typeField != 1) { type.SkipLastField(); return; }
                    Fields(type.ReadBytes().ToByteArray(), (tensorField, tensor, _) =>
                    {
                        if (tensorField == 1)
                        {
                            long elem = tensor.ReadInt32();
                            if (elem != (long)OnnxDataType.Float) throw new InvalidDataException($"{name}: element type {elem}, expected FLOAT.");
                        }
                        else if (tensorField == 2)
                            Fields(tensor.ReadBytes().ToByteArray(), (shapeField, dims, _) =>
                            {
                                if (shapeField != 1) { dims.SkipLastField(); return; }
                                var dim = new OnnxDimension(0, null);
                                Fields(dims.ReadBytes().ToByteArray(), (dimField, d, _) =>
                                {
                                    if (dimField == 1) dim = OnnxDimension.Fixed(d.ReadInt64());
                                    else if (dimField == 2) dim = OnnxDimension.Symbolic(d.ReadString());
                                    else d.SkipLastField();
                                });
                                shape.Add(dim);
                            });
                        else tensor.SkipLastField();
                    });
                });
            else input.SkipLastField();
        });
        return new OnnxValueInfo(name, [.. shape]);
    }

    /// <summary>Calls <paramref name="onField"/> with each field's number and wire type; it must read or skip the value.</summary>
    private static void Fields(byte[] bytes, Action<int, CodedInputStream, WireFormat.WireType> onField)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0) onField(WireFormat.GetTagFieldNumber(tag), input, WireFormat.GetTagWireType(tag));
    }

    /// <summary>A repeated int64: one varint per tag, or a packed run (proto3's default).</summary>
    private static void Int64s(CodedInputStream input, WireFormat.WireType wire, List<long> into)
    {
        if (wire != WireFormat.WireType.LengthDelimited)
        {
            into.Add(input.ReadInt64());
            return;
        }
        var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
        while (!packed.IsAtEnd) into.Add(packed.ReadInt64());
    }
}
