using System.Buffers.Binary;
using System.Globalization;

namespace GanSharp.IO;

/// <summary>
/// Writes a TensorBoard event file (events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;): TFRecord records, each
/// a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data and the masked CRC-32C of
/// the data, holding tensorflow.Event protos (tensorflow/core/util/event.proto, framework/summary.proto).
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
    private readonly ProtobufWriter _event = new();
    private readonly TimeProvider _clock;

    public string Path { get; }

    private TensorBoardEventWriter(FileStream file, TimeProvider clock)
    {
        _file = file;
        _clock = clock;
        Path = file.Name;
        _event.WriteDouble(EventWallTime, WallTime());
        _event.WriteString(EventFileVersion, FileVersion);
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
        int summary = BeginSummaryEvent(step);
        for (int i = 0; i < tags.Length; i++)
        {
            int value = _event.BeginMessage(SummaryValue);
            _event.WriteString(ValueTag, tags[i]);
            _event.WriteFloat(ValueSimpleValue, values[i]);
            _event.EndMessage(value);
        }
        _event.EndMessage(summary);
        WriteRecord();
    }

    /// <summary>An image, already encoded (PNG), shown under <paramref name="tag"/> with a step slider.</summary>
    /// <param name="channels">1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA (the Summary.Image colorspace codes).</param>
    public void WriteImage(long step, string tag, int width, int height, int channels, ReadOnlySpan<byte> encodedImage)
    {
        if (channels is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 to 4.");
        int summary = BeginSummaryEvent(step);
        int value = _event.BeginMessage(SummaryValue);
        _event.WriteString(ValueTag, tag);
        int image = _event.BeginMessage(ValueImage);
        _event.WriteInt64(ImageHeight, height);
        _event.WriteInt64(ImageWidth, width);
        _event.WriteInt64(ImageColorspace, channels);
        _event.WriteBytes(ImageEncoded, encodedImage);
        _event.EndMessage(image);
        _event.EndMessage(value);
        _event.EndMessage(summary);
        WriteRecord();
    }

    /// <summary>
    /// Marks a restart at <paramref name="step"/>: TensorBoard then drops events from earlier files at
    /// this step or later, which a crashed session may have written after its last checkpoint.
    /// </summary>
    public void WriteSessionStart(long step)
    {
        _event.WriteDouble(EventWallTime, WallTime());
        _event.WriteInt64(EventStep, step);
        int log = _event.BeginMessage(EventSessionLog);
        _event.WriteInt64(SessionLogStatus, SessionLogStart);
        _event.EndMessage(log);
        WriteRecord();
    }

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    private int BeginSummaryEvent(long step)
    {
        _event.WriteDouble(EventWallTime, WallTime());
        _event.WriteInt64(EventStep, step);
        return _event.BeginMessage(EventSummary);
    }

    private double WallTime() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Frames the event built in <see cref="_event"/> as one record and clears it.</summary>
    private void WriteRecord()
    {
        ReadOnlySpan<byte> data = _event.Written;
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _file.Write(header);
        _file.Write(data);
        _file.Write(footer);
        _event.Clear();
    }
}
