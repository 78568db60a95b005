namespace GanSharp.IO;

/// <summary>
/// An ONNX graph being assembled: nodes in execution order, constant tensors (initializers) and the
/// typed graph inputs and outputs. Holds only what the exporter emits; <see cref="OnnxWriter"/> encodes it.
/// </summary>
public sealed class OnnxGraph(string name)
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];

    public string Name { get; } = name;
    public IReadOnlyList<OnnxNode> Nodes => _nodes;
    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;
    public IReadOnlyList<OnnxValueInfo> Inputs => _inputs;
    public IReadOnlyList<OnnxValueInfo> Outputs => _outputs;

    public void AddNode(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes) =>
        _nodes.Add(new OnnxNode(opType, name, inputs, [output], attributes));

    /// <summary>A float32 constant; the values are copied.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dims)
    {
        _initializers.Add(new OnnxInitializer(name, dims.ToArray(), OnnxDataType.Float, LittleEndianData.ToBytes(values)));
        return name;
    }

    /// <summary>An int64 constant, e.g. the target shape of a Reshape.</summary>
    public string AddInt64Initializer(string name, ReadOnlySpan<long> values, params ReadOnlySpan<long> dims)
    {
        _initializers.Add(new OnnxInitializer(name, dims.ToArray(), OnnxDataType.Int64, LittleEndianData.ToBytes(values)));
        return name;
    }

    public void AddInput(string name, params OnnxDimension[] shape) => _inputs.Add(new OnnxValueInfo(name, shape));

    public void AddOutput(string name, params OnnxDimension[] shape) => _outputs.Add(new OnnxValueInfo(name, shape));
}

/// <summary>TensorProto.DataType values used here.</summary>
public enum OnnxDataType
{
    Float = 1,
    Int64 = 7,
}

public sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes);

/// <param name="RawData">Little-endian element bytes, as TensorProto.raw_data stores them.</param>
public sealed record OnnxInitializer(string Name, long[] Dims, OnnxDataType DataType, byte[] RawData);

/// <summary>A float32 graph input or output; every exported tensor is float32.</summary>
public sealed record OnnxValueInfo(string Name, OnnxDimension[] Shape);

/// <summary>A tensor dimension: a fixed size, or a named symbol such as the batch size "N".</summary>
public readonly record struct OnnxDimension(long Value, string? Symbol)
{
    public static OnnxDimension Fixed(long value) => new(value, null);
    public static OnnxDimension Symbolic(string symbol) => new(0, symbol);
}

/// <summary>A node attribute; the exported ops need only a float, an int, or a list of ints.</summary>
/// <remarks>Separate factories, not overloads: ONNX checks the declared type, and axes = [2] must not become an int.</remarks>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float FloatValue = 0f, long IntValue = 0, long[]? IntValues = null)
{
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float, FloatValue: value);
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int, IntValue: value);
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeType.Ints, IntValues: values);
}

/// <summary>AttributeProto.AttributeType values used here.</summary>
public enum OnnxAttributeType
{
    Float = 1,
    Int = 2,
    Ints = 7,
}
