using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using static GanSharp.IO.ProtobufFields;

namespace GanSharp.IO;

/// <summary>
/// Writes a TensorBoard event file (events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;): TFRecord records, each
/// a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data and the masked CRC-32C of
/// the data, holding tensorflow.Event protos (tensorflow/core/util/event.proto, framework/summary.proto),
/// encoded field by field with Google.Protobuf's <see cref="CodedOutputStream"/> like <see cref="OnnxWriter"/>.
/// Records are buffered; <see cref="Flush"/> hands them to the OS, so a killed process keeps what was flushed.
/// </summary>
public sealed class TensorBoardEventWriter : IDisposable
{
    // Field numbers of tensorflow.Event, Summary, Summary.Value and Summary.Image.
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5, EventSessionLog = 7;
    private const int SummaryValue = 1;
    private const int ValueTag = 1, ValueSimpleValue = 2, ValueImage = 4;
    private const int ImageHeight = 1, ImageWidth = 2, ImageColorspace = 3, ImageEncoded = 4;
    private const int SessionLogStatus = 1, SessionLogStart = 1;

    private const string FileVersion = "brain.Event:2";

    private readonly FileStream _file;
    private readonly TimeProvider _clock;
    // One event at a time is encoded into _event (reused, so a record costs no allocation once it has
    // grown) and then framed into _file; _output is the Google.Protobuf encoder over it, as in OnnxWriter.
    private readonly MemoryStream _event = new(256);
    private readonly CodedOutputStream _output;

    public string Path { get; }

    private TensorBoardEventWriter(FileStream file, TimeProvider clock)
    {
        _file = file;
        _clock = clock;
        _output = new CodedOutputStream(_event, leaveOpen: true);
        Path = file.Name;
        _output.WriteDoubleField(EventWallTime, WallTime());
        _output.WriteStringField(EventFileVersion, FileVersion);
        WriteRecord();
    }

    /// <summary>
    /// Starts a new event file in <paramref name="directory"/>. It never replaces an existing one:
    /// TensorBoard reads every event file in a folder, so a resumed run simply adds a file.
    /// </summary>
    public static TensorBoardEventWriter Create(string directory, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        Directory.CreateDirectory(directory);
        string name = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{clock.GetUtcNow().ToUnixTimeSeconds():D10}.{Environment.MachineName}");
        for (int attempt = 0; ; attempt++)
        {
            // A session started within the same second as the last one gets a numbered name (sorting after it).
            string path = System.IO.Path.Combine(directory, attempt == 0 ? name : $"{name}.{attempt}");
            if (File.Exists(path)) continue;
            try
            {
                return new TensorBoardEventWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16), clock);
            }
            catch (IOException) when (File.Exists(path)) { } // lost a race for the name: try the next
        }
    }

    /// <summary>One event holding a scalar per tag (TensorBoard draws one chart per tag).</summary>
    public void WriteScalars(long step, ReadOnlySpan<string> tags, ReadOnlySpan<float> values)
    {
        if (tags.Length != values.Length) throw new ArgumentException($"{tags.Length} tags but {values.Length} values.", nameof(values));
        // A length prefix comes before its message, so the sizes are computed first and the fields written
        // straight after (no nested buffers).
        int summarySize = 0;
        for (int i = 0; i < tags.Length; i++) summarySize += LengthDelimitedSize(SummaryValue, ScalarValueSize(tags[i]));
        long end = BeginSummaryEvent(step, summarySize);
        for (int i = 0; i < tags.Length; i++)
        {
            _output.WriteLengthPrefix(SummaryValue, ScalarValueSize(tags[i]));
            _output.WriteStringField(ValueTag, tags[i]);
            _output.WriteFloatField(ValueSimpleValue, values[i]);
        }
        Debug.Assert(_output.Position == end);
        WriteRecord();
    }

    /// <summary>An image, already encoded (PNG), shown under <paramref name="tag"/> with a step slider.</summary>
    /// <param name="channels">1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA (the Summary.Image colorspace codes).</param>
    public void WriteImage(long step, string tag, int width, int height, int channels, ReadOnlySpan<byte> encodedImage)
    {
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 to 4.");
        int imageSize = Int64Size(ImageHeight, height) + Int64Size(ImageWidth, width) + Int64Size(ImageColorspace, channels)
            + LengthDelimitedSize(ImageEncoded, encodedImage.Length);
        int valueSize = StringSize(ValueTag, tag) + LengthDelimitedSize(ValueImage, imageSize);
        long end = BeginSummaryEvent(step, LengthDelimitedSize(SummaryValue, valueSize));
        _output.WriteLengthPrefix(SummaryValue, valueSize);
        _output.WriteStringField(ValueTag, tag);
        _output.WriteLengthPrefix(ValueImage, imageSize);
        _output.WriteInt64Field(ImageHeight, height);
        _output.WriteInt64Field(ImageWidth, width);
        _output.WriteInt64Field(ImageColorspace, channels);
        _output.WriteLengthPrefix(ImageEncoded, encodedImage.Length);
        // CodedOutputStream takes bytes only as a ByteString (a copy, for a span): after a flush the raw
        // bytes go on the stream it encodes into, the last field of the event.
        _output.Flush();
        _event.Write(encodedImage);
        Debug.Assert(_output.Position == end);
        WriteRecord();
    }

    /// <summary>
    /// Marks a restart at <paramref name="step"/>: TensorBoard then drops events from earlier files at
    /// this step or later, which a crashed session may have written after its last checkpoint.
    /// </summary>
    public void WriteSessionStart(long step)
    {
        _output.WriteDoubleField(EventWallTime, WallTime());
        _output.WriteInt64Field(EventStep, step);
        _output.WriteLengthPrefix(EventSessionLog, Int64Size(SessionLogStatus, SessionLogStart));
        _output.WriteInt64Field(SessionLogStatus, SessionLogStart);
        WriteRecord();
    }

    public void Flush() => _file.Flush();

    public void Dispose()
    {
        _output.Dispose(); // leaves _event open; nothing is pending, each record is framed as it is written
        _file.Dispose();
    }

    /// <summary>Writes an event's wall time, step and Summary prefix; returns where the summary ends.</summary>
    private long BeginSummaryEvent(long step, int summarySize)
    {
        _output.WriteDoubleField(EventWallTime, WallTime());
        _output.WriteInt64Field(EventStep, step);
        _output.WriteLengthPrefix(EventSummary, summarySize);
        return _output.Position + summarySize;
    }

    private static int ScalarValueSize(string tag) => StringSize(ValueTag, tag) + FloatSize(ValueSimpleValue);

    private double WallTime() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Frames the event encoded into <see cref="_event"/> as one record and clears it.</summary>
    private void WriteRecord()
    {
        _output.Flush();
        ReadOnlySpan<byte> data = _event.GetBuffer().AsSpan(0, (int)_event.Length);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _file.Write(header);
        _file.Write(data);
        _file.Write(footer);
        _event.SetLength(0);
    }
}
