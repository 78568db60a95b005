using Google.Protobuf;
using GanSharp.Figures;

namespace GanSharp.IO;

/// <summary>
/// Encodes an <see cref="OnnxGraph"/> as an ONNX ModelProto, writing the protobuf wire format
/// directly with the field numbers of onnx.proto3 (no generated classes, so no .proto build step).
/// </summary>
/// <remarks>
/// IR version 8 with the default-domain opset 13: recent enough for Gemm's optional bias and
/// ReduceMax's axes attribute, old enough for the onnx 1.12 checker that Debian ships.
/// Repeated int64 fields are written unpacked, which both proto2 and proto3 parsers accept.
/// </remarks>
public static class OnnxWriter
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;

    private static class Model { public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8; }
    private static class OperatorSetId { public const int Domain = 1, Version = 2; }
    private static class Graph { public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12; }
    private static class Node { public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5; }
    private static class Attribute { public const int Name = 1, F = 2, I = 3, Ints = 8, Type = 20; }
    private static class Tensor { public const int Dims = 1, DataType = 2, Name = 8, RawData = 9; }
    private static class ValueInfo { public const int Name = 1, Type = 2; }
    private static class TypeProto { public const int TensorType = 1; }
    private static class TensorTypeProto { public const int ElemType = 1, Shape = 2; }
    private static class TensorShape { public const int Dim = 1; }
    private static class Dimension { public const int DimValue = 1, DimParam = 2; }

    public static byte[] ToArray(OnnxGraph graph, string producerName, string producerVersion) =>
        Message(output =>
        {
            output.WriteInt64Field(Model.IrVersion, IrVersion);
            output.WriteStringField(Model.ProducerName, producerName);
            output.WriteStringField(Model.ProducerVersion, producerVersion);
            WriteMessage(output, Model.Graph, g => WriteGraph(g, graph));
            WriteMessage(output, Model.OpsetImport, o =>
            {
                o.WriteStringField(OperatorSetId.Domain, ""); // the default ai.onnx domain
                o.WriteInt64Field(OperatorSetId.Version, OpsetVersion);
            });
        });

    /// <summary>Writes the model atomically, so a reader never sees half a file.</summary>
    public static void Save(OnnxGraph graph, string producerName, string producerVersion, string path)
    {
        var bytes = ToArray(graph, producerName, producerVersion);
        using var file = AtomicFile.Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    private static void WriteGraph(CodedOutputStream output, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) WriteMessage(output, Graph.Node, n => WriteNode(n, node));
        output.WriteStringField(Graph.Name, graph.Name);
        foreach (var init in graph.Initializers) WriteMessage(output, Graph.Initializer, t => WriteTensor(t, init));
        foreach (var input in graph.Inputs) WriteMessage(output, Graph.Input, v => WriteValueInfo(v, input));
        foreach (var result in graph.Outputs) WriteMessage(output, Graph.Output, v => WriteValueInfo(v, result));
    }

    private static void WriteNode(CodedOutputStream output, OnnxNode node)
    {
        foreach (var input in node.Inputs) output.WriteStringField(Node.Input, input);
        foreach (var result in node.Outputs) output.WriteStringField(Node.Output, result);
        output.WriteStringField(Node.Name, node.Name);
        output.WriteStringField(Node.OpType, node.OpType);
        foreach (var attribute in node.Attributes) WriteMessage(output, Node.Attribute, a => WriteAttribute(a, attribute));
    }

    private static void WriteAttribute(CodedOutputStream output, OnnxAttribute attribute)
    {
        output.WriteStringField(Attribute.Name, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                output.WriteFloatField(Attribute.F, attribute.FloatValue);
                break;
            case OnnxAttributeType.Int:
                output.WriteInt64Field(Attribute.I, attribute.IntValue);
                break;
            case OnnxAttributeType.Ints:
                foreach (long v in attribute.IntValues!) output.WriteInt64Field(Attribute.Ints, v);
                break;
            default: throw new ArgumentException($"Attribute '{attribute.Name}': type {attribute.Type} is not supported.");
        }
        // Since IR version 2 the type must be set, to tell a zero value from an absent one.
        output.WriteInt64Field(Attribute.Type, (long)attribute.Type);
    }

    private static void WriteTensor(CodedOutputStream output, OnnxInitializer tensor)
    {
        foreach (long d in tensor.Dims) output.WriteInt64Field(Tensor.Dims, d);
        output.WriteInt64Field(Tensor.DataType, (long)tensor.DataType);
        output.WriteStringField(Tensor.Name, tensor.Name);
        output.WriteBytesField(Tensor.RawData, tensor.RawData);
    }

    private static void WriteValueInfo(CodedOutputStream output, OnnxValueInfo value)
    {
        output.WriteStringField(ValueInfo.Name, value.Name);
        WriteMessage(output, ValueInfo.Type, type =>
            WriteMessage(type, TypeProto.TensorType, tensor =>
            {
                tensor.WriteInt64Field(TensorTypeProto.ElemType, (long)OnnxDataType.Float);
                WriteMessage(tensor, TensorTypeProto.Shape, shape =>
                {
                    foreach (var dim in value.Shape)
                        WriteMessage(shape, TensorShape.Dim, d =>
                        {
                            if (dim.Symbol != null) d.WriteStringField(Dimension.DimParam, dim.Symbol);
                            else d.WriteInt64Field(Dimension.DimValue, dim.Value);
                        });
                });
            }));
    }

    /// <summary>An embedded message: encoded on its own first, because its length prefix comes before it.</summary>
    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        output.WriteBytesField(field, Message(body));
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) body(output);
        return buffer.ToArray();
    }
}
