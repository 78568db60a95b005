namespace GanSharp.Data;

/// <summary>Reads that tolerate short <see cref="Stream.Read(Span{byte})"/> results (gzip, pipes) and report how much arrived.</summary>
internal static class StreamReading
{
    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    public static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
