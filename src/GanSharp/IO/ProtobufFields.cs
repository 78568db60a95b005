using Google.Protobuf;

namespace GanSharp.IO;

/// <summary>
/// Whole protobuf fields (tag, then value) on Google.Protobuf's <see cref="CodedOutputStream"/>, and their
/// encoded sizes, for the messages written without generated classes (ONNX models, TensorBoard events).
/// </summary>
internal static class ProtobufFields
{
    /// <summary>int64 and int32 fields alike (negative values take ten bytes, as the format says).</summary>
    public static void WriteInt64Field(this CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    public static void WriteStringField(this CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteFloatField(this CodedOutputStream output, int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
    }

    public static void WriteDoubleField(this CodedOutputStream output, int field, double value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
    }

    /// <summary>A bytes field (or an embedded message already encoded); the array is wrapped, not copied.</summary>
    public static void WriteBytesField(this CodedOutputStream output, int field, byte[] value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
    }

    /// <summary>The tag and length of an embedded message or bytes field, whose <paramref name="length"/> bytes follow.</summary>
    public static void WriteLengthPrefix(this CodedOutputStream output, int field, int length)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(length);
    }

    // Encoded sizes of whole fields, tag included.
    public static int Int64Size(int field, long value) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeInt64Size(value);
    public static int StringSize(int field, string value) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeStringSize(value);
    public static int FloatSize(int field) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeFloatSize(0);
    public static int LengthDelimitedSize(int field, int length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(length) + length;
}
