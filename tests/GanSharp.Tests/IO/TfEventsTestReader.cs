using System.Buffers.Binary;
using System.Text;
using GanSharp.IO;

namespace GanSharp.Tests.IO;

/// <summary>One decoded tensorflow.Event; only the fields GanSharp writes.</summary>
internal sealed record TfEvent(double WallTime, long Step, string? FileVersion, List<TfValue> Values, int? SessionStatus);

/// <summary>A Summary.Value: a scalar (SimpleValue) or an image (Image).</summary>
internal sealed record TfValue(string Tag, float? SimpleValue, TfImage? Image);

internal sealed record TfImage(int Height, int Width, int Colorspace, byte[] Encoded);

/// <summary>
/// Reads event files independently of the writer: every record's framing and both masked CRCs are
/// checked, and the protos are decoded with a generic wire-format parser that rejects unknown fields.
/// </summary>
internal static class TfEventsTestReader
{
    public static List<TfEvent> Read(string path)
    {
        // ReadWrite sharing: the writer may still have the file open.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return Records(bytes).Select(DecodeEvent).ToList();
    }

    /// <summary>The events of every event file in a run folder, in TensorBoard's order (file names sorted).</summary>
    public static List<string> Files(string directory) =>
        Directory.GetFiles(directory, "events.out.tfevents.*").Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Scalars per step as TensorBoard shows them across a folder's files: a SessionLog START at step s
    /// discards what earlier files logged at s or later.
    /// </summary>
    public static SortedDictionary<long, Dictionary<string, float>> MergedScalars(string directory)
    {
        var scalars = new SortedDictionary<long, Dictionary<string, float>>();
        foreach (var file in Files(directory))
            foreach (var e in Read(file))
            {
                if (e.SessionStatus == 1)
                    foreach (var step in scalars.Keys.Where(s => s >= e.Step).ToList()) scalars.Remove(step);
                foreach (var v in e.Values.Where(v => v.SimpleValue.HasValue))
                {
                    if (!scalars.TryGetValue(e.Step, out var row)) scalars[e.Step] = row = [];
                    row[v.Tag] = v.SimpleValue!.Value;
                }
            }
        return scalars;
    }

    public static List<byte[]> Records(byte[] file)
    {
        var records = new List<byte[]>();
        int at = 0;
        while (at < file.Length)
        {
            Assert.True(file.Length - at >= 12, $"truncated record header at byte {at}");
            var lengthBytes = file.AsSpan(at, 8);
            Assert.Equal(Mask(Crc32C.Compute(lengthBytes)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            Assert.True(length <= (ulong)(file.Length - at - 16), $"record at byte {at} overruns the file");
            var data = file.AsSpan(at + 12, (int)length);
            Assert.Equal(Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length)));
            records.Add(data.ToArray());
            at += 16 + (int)length;
        }
        return records;
    }

    // Written out here rather than calling Crc32C.Masked, so the test does not trust the code it checks.
    private static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;

    private static TfEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        int? sessionStatus = null;
        var values = new List<TfValue>();
        foreach (var f in Fields(data))
            switch (f.Number)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)f.Fixed(1)); break;
                case 2: step = (long)f.Varint(); break;
                case 3: fileVersion = Encoding.UTF8.GetString(f.Bytes()); break;
                case 5:
                    foreach (var v in Fields(f.Bytes()))
                    {
                        Assert.Equal(1, v.Number); // Summary.value
                        values.Add(DecodeValue(v.Bytes()));
                    }
                    break;
                case 7:
                    foreach (var s in Fields(f.Bytes()))
                    {
                        Assert.Equal(1, s.Number); // SessionLog.status
                        sessionStatus = (int)s.Varint();
                    }
                    break;
                default: throw new Xunit.Sdk.XunitException($"unexpected Event field {f.Number}");
            }
        return new TfEvent(wallTime, step, fileVersion, values, sessionStatus);
    }

    private static TfValue DecodeValue(byte[] data)
    {
        string? tag = null;
        float? simple = null;
        TfImage? image = null;
        foreach (var f in Fields(data))
            switch (f.Number)
            {
                case 1: tag = Encoding.UTF8.GetString(f.Bytes()); break;
                case 2: simple = BitConverter.Int32BitsToSingle((int)f.Fixed(5)); break;
                case 4:
                    int h = 0, w = 0, cs = 0;
                    byte[] encoded = [];
                    foreach (var i in Fields(f.Bytes()))
                        switch (i.Number)
                        {
                            case 1: h = (int)i.Varint(); break;
                            case 2: w = (int)i.Varint(); break;
                            case 3: cs = (int)i.Varint(); break;
                            case 4: encoded = i.Bytes(); break;
                            default: throw new Xunit.Sdk.XunitException($"unexpected Summary.Image field {i.Number}");
                        }
                    image = new TfImage(h, w, cs, encoded);
                    break;
                default: throw new Xunit.Sdk.XunitException($"unexpected Summary.Value field {f.Number}");
            }
        Assert.NotNull(tag);
        return new TfValue(tag, simple, image);
    }

    /// <summary>A field as read off the wire: its number, wire type and raw payload.</summary>
    private readonly record struct Field(int Number, int WireType, ulong Scalar, byte[]? Payload)
    {
        public ulong Varint() { Assert.Equal(0, WireType); return Scalar; }
        public ulong Fixed(int wireType) { Assert.Equal(wireType, WireType); return Scalar; }
        public byte[] Bytes() { Assert.Equal(2, WireType); return Payload!; }
    }

    private static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        int at = 0;
        while (at < data.Length)
        {
            ulong key = ReadVarint(data, ref at);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            Assert.True(number > 0, "field number 0");
            switch (wire)
            {
                case 0: fields.Add(new(number, wire, ReadVarint(data, ref at), null)); break;
                case 1: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8)), null)); at += 8; break;
                case 5: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at, 4)), null)); at += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(data, ref at));
                    fields.Add(new(number, wire, 0, data.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                default: throw new Xunit.Sdk.XunitException($"unexpected wire type {wire}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            Assert.True(shift < 64, "varint longer than 10 bytes");
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
