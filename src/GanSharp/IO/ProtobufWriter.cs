using System.Buffers.Binary;
using System.Text;

namespace GanSharp.IO;

/// <summary>
/// Protocol Buffers wire format into a reusable buffer: just the field kinds TensorBoard events need
/// (varint, fixed64, fixed32, length-delimited and nested messages), so no code generator or package.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int VarintWire = 0, Fixed64Wire = 1, LengthDelimitedWire = 2, Fixed32Wire = 5;

    private byte[] _buffer = new byte[256];
    private int _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    /// <summary>int64 and int32 fields alike (negative values take ten bytes, as the format says).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintWire);
        WriteVarint((ulong)value);
    }

    public void WriteDouble(int field, double value)
    {
        WriteTag(field, Fixed64Wire);
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32Wire);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWire);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    public void WriteString(int field, string value)
    {
        WriteTag(field, LengthDelimitedWire);
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Starts a nested message; write its fields, then pass the returned mark to <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int field)
    {
        WriteTag(field, LengthDelimitedWire);
        Reserve(1); // room for a one-byte length; EndMessage makes more if the body is longer
        return _length;
    }

    public void EndMessage(int bodyStart)
    {
        int bodyLength = _length - bodyStart;
        int prefixLength = VarintLength((ulong)bodyLength);
        if (prefixLength > 1)
        {
            Reserve(prefixLength - 1);
            _buffer.AsSpan(bodyStart, bodyLength).CopyTo(_buffer.AsSpan(bodyStart + prefixLength - 1));
        }
        EncodeVarint((ulong)bodyLength, _buffer.AsSpan(bodyStart - 1, prefixLength));
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((uint)field << 3 | (uint)wireType));

    private void WriteVarint(ulong value) => EncodeVarint(value, Reserve(VarintLength(value)));

    private static int VarintLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80) { value >>= 7; n++; }
        return n;
    }

    private static void EncodeVarint(ulong value, Span<byte> destination)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i] = (byte)value;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
