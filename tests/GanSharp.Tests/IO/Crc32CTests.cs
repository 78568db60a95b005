using System.Runtime.Intrinsics.X86;
using System.Text;
using GanSharp.IO;

namespace GanSharp.Tests.IO;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_the_standard_vector()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xE3069283u, Crc32C.Finish(Crc32C.AppendTable(Crc32C.Start, Encoding.ASCII.GetBytes("123456789"))));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Rfc3720_iscsi_vectors()
    {
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = ascending.Reverse().ToArray();
        foreach (var (data, crc) in new[] { (zeros, 0x8A9136AAu), (ones, 0x62A8AB43u), (ascending, 0x46DD794Eu), (descending, 0x113FDB5Cu) })
        {
            Assert.Equal(crc, Crc32C.Compute(data));
            Assert.Equal(crc, Crc32C.Finish(Crc32C.AppendTable(Crc32C.Start, data)));
        }
    }

    [Fact]
    public void Hardware_and_table_agree_on_every_length_and_alignment()
    {
        if (Sse42.X64.IsSupported) Assert.True(Crc32C.HasHardwareSupport); // so this test exercises the instruction path here
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (int start = 0; start < 9; start++)
            for (int length = 0; start + length <= data.Length; length += length < 40 ? 1 : 37)
            {
                var span = data.AsSpan(start, length);
                Assert.Equal(Crc32C.AppendTable(Crc32C.Start, span), Crc32C.Append(Crc32C.Start, span));
            }
    }

    [Fact]
    public void Appending_in_pieces_equals_computing_at_once()
    {
        var data = new byte[1000];
        new Random(3).NextBytes(data);
        uint state = Crc32C.Start;
        foreach (var (from, to) in new[] { (0, 1), (1, 13), (13, 500), (500, 1000) })
            state = Crc32C.Append(state, data.AsSpan(from..to));
        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(state));
    }

    [Fact]
    public void Masked_rotates_right_by_15_and_adds_the_tfrecord_constant()
    {
        var data = Encoding.ASCII.GetBytes("123456789");
        uint masked = Crc32C.Masked(data);
        uint unmasked = masked - 0xA282EAD8u;
        Assert.Equal(0xE3069283u, (unmasked >> 17) | (unmasked << 15));
        Assert.Equal(0xC78AB0E5u, masked); // ((0xE3069283 >> 15) | (0xE3069283 << 17)) + 0xA282EAD8 mod 2^32
    }
}
