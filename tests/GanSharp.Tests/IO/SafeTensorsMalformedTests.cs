using System.Buffers.Binary;
using GanSharp.IO;
using static GanSharp.Tests.IO.SafeTensorsTestFiles;

namespace GanSharp.Tests.IO;

/// <summary>Every malformed input must end in a <see cref="SafeTensorsFormatException"/>, never another exception type.</summary>
public class SafeTensorsMalformedTests
{
    private const string W = """{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}""";

    /// <summary>(header JSON, data section length, a fragment the message must contain).</summary>
    public static TheoryData<string, int, string> BadHeaders() => new()
    {
        // Not JSON, or not an object.
        { "not json", 16, "not valid JSON" },
        { "", 0, "" },
        { "        ", 0, "" },
        { "[1, 2]", 0, "not a JSON object" },
        { "\"weights\"", 0, "not a JSON object" },
        { "42", 0, "not a JSON object" },
        { "null", 0, "not a JSON object" },
        { "\uFEFF{}", 0, "byte order mark" },
        { "{\"w\":" + W, 16, "not valid JSON" },          // truncated
        { "{\"w\":" + W + "} x", 16, "not valid JSON" },  // trailing content
        { "{} {}", 0, "not valid JSON" },
        { "{\"w\":" + W + ",}", 16, "not valid JSON" },   // trailing comma
        { "{/* c */\"w\":" + W + "}", 16, "not valid JSON" },
        { "{\"w\\x\":" + W + "}", 16, "not valid JSON" },  // bad escape
        { "{\"\\ud800\":" + W + "}", 16, "not valid JSON" }, // escaped lone surrogate
        { new string('[', 100) + new string(']', 100), 0, "not a JSON object" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16],\"x\":" + new string('[', 100) + new string(']', 100) + "}}", 16, "not valid JSON" },

        // Entries.
        { "{\"w\":[1]}", 0, "not an object" },
        { "{\"w\":null}", 0, "not an object" },
        { """{"w":{"dtype":"F31","shape":[2,2],"data_offsets":[0,16]}}""", 16, "unknown dtype 'F31'" },
        { """{"w":{"dtype":"f32","shape":[2,2],"data_offsets":[0,16]}}""", 16, "unknown dtype 'f32'" },
        { """{"w":{"dtype":32,"shape":[2,2],"data_offsets":[0,16]}}""", 16, "not a string" },
        { """{"w":{"shape":[2,2],"data_offsets":[0,16]}}""", 16, "no dtype" },
        { """{"w":{"dtype":"F32","data_offsets":[0,16]}}""", 16, "no shape" },
        { """{"w":{"dtype":"F32","shape":[2,2]}}""", 16, "no data_offsets" },
        { """{"w":{"dtype":"F32","dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", 16, "dtype twice" },
        { """{"w":{"dtype":"F32","shape":[2,2],"shape":[2,2],"data_offsets":[0,16]}}""", 16, "shape twice" },

        // Shapes.
        { """{"w":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}""", 16, "negative" },
        { """{"w":{"dtype":"F32","shape":[2.0,2],"data_offsets":[0,16]}}""", 16, "not an integer" },
        { """{"w":{"dtype":"F32","shape":[2e0,2],"data_offsets":[0,16]}}""", 16, "not an integer" },
        { """{"w":{"dtype":"F32","shape":["2",2],"data_offsets":[0,16]}}""", 16, "a string" },
        { """{"w":{"dtype":"F32","shape":[[2],2],"data_offsets":[0,16]}}""", 16, "an array" },
        { """{"w":{"dtype":"F32","shape":4,"data_offsets":[0,16]}}""", 16, "not an array" },
        { """{"w":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,16]}}""", 16, "does not fit" },
        { """{"w":{"dtype":"F32","shape":[9223372036854775808,0],"data_offsets":[0,0]}}""", 0, "larger than" },
        { """{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}}""", 16, "overflows" },
        { """{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}""", 16, "overflows" }, // 2^64 elements
        { """{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,1]}}""", 1, "whole bytes" },

        // Offsets.
        { """{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}""", 16, "needs 24 bytes" },
        { """{"w":{"dtype":"F32","shape":[],"data_offsets":[0,0]}}""", 0, "needs 4 bytes" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}}""", 16, "end before" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0]}}""", 16, "not 2" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16,32]}}""", 16, "not 2" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,-16]}}""", 16, "negative" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}}""", 20, "must begin at 0" },
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", 8, "past the end" },
        { """{"w":{"dtype":"F32","shape":[288230376151711744],"data_offsets":[0,1152921504606846976]}}""", 16, "past the end" }, // 2^58 elements, 2^60 bytes
        { """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", 20, "belong to no tensor" },
        { "{}", 4, "belong to no tensor" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "overlap" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", 20, "gap" },
        { """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 16, "overlap" }, // contained
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""", 8, "overlap" }, // empty, inside
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"c":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "overlap" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 12, "past the end" }, // a later tensor
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0],"data_offsets":[12,12]}}""", 8, "gap" }, // empty, beyond the data
        { """{"a":{"dtype":"U8","shape":[2],"data_offsets":[18446744073709551614,0]}}""", 2, "end before" },
        { """{"a":{"dtype":"U8","shape":[1],"data_offsets":[18446744073709551614,18446744073709551615]}}""", 1, "must begin at 0" },

        // Duplicates.
        { "{\"w\":" + W + ",\"w\":" + W + "}", 16, "'w' twice" },
        { "{\"w\":" + W + ",\"\\u0077\":" + W + "}", 16, "'w' twice" }, // same name once unescaped
        { """{"__metadata__":{},"__metadata__":{}}""", 0, "twice" },

        // Metadata.
        { """{"__metadata__":{"epoch":1}}""", 0, "not a string" },
        { """{"__metadata__":{"a":"x","b":null}}""", 0, "not a string" },
        { """{"__metadata__":{"a":{"nested":"x"}}}""", 0, "not a string" },
        { """{"__metadata__":{"a":["x"]}}""", 0, "not a string" },
        { """{"__metadata__":"format=pt"}""", 0, "not an object" },
        { """{"__metadata__":["x"]}""", 0, "not an object" },
        { """{"__metadata__":{"a":"x","a":"y"}}""", 0, "'a' twice" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void BadHeader_Throws(string json, int dataLength, string fragment)
    {
        byte[] bytes = Build(json, new byte[dataLength]);

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse(bytes, "bad.safetensors"));
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith("bad.safetensors: ", e.Message);
    }

    [Fact]
    public void Truncated_AtEveryOffset_Throws()
    {
        byte[] valid = SampleFile();
        SafeTensorsFile.Parse(valid); // the whole file is fine

        for (int length = 0; length < valid.Length; length++)
            Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse(valid.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(97UL, "runs past the end")]                 // one byte more than the file holds
    [InlineData(1000UL, "runs past the end")]
    [InlineData(100_000_001UL, "limit")]
    [InlineData(ulong.MaxValue, "limit")]
    [InlineData(1UL << 63, "limit")]
    public void HeaderLength_BeyondFileOrLimit_Throws(ulong declared, string fragment)
    {
        byte[] bytes = Build("{}", new byte[94]); // 96 bytes follow the length field... minus the header: 2 + 94
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse(bytes));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void HeaderLength_ShorterThanJson_Throws()
    {
        byte[] bytes = SampleFile();
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, n - 8);

        Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse(bytes));
    }

    [Fact]
    public void TooShortForLengthField_Throws()
    {
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse([8, 0, 0]));
        Assert.Contains("too short", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', 0xFF, (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })] // cut multi-byte sequence
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' })] // encoded surrogate
    public void HeaderNotUtf8_Throws(byte[] header)
    {
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Parse(Build(header, [])));
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Load_CorruptFile_NamesThePath()
    {
        string dir = NewTempFolder();
        try
        {
            string path = Path.Combine(dir, "corrupt.safetensors");
            byte[] bytes = SampleFile();
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 1).ToArray());

            var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Load(path));
            Assert.StartsWith(path + ": ", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void RandomMutations_OnlyEverThrowFormatException()
    {
        byte[] valid = SampleFile();
        byte[] jsonish = "{}[]\":,.-+eE0123456789 \\u"u8.ToArray();
        var random = new Random(20240611);
        int accepted = 0, rejected = 0;

        for (int trial = 0; trial < 5000; trial++)
        {
            var bytes = new List<byte>(valid);
            int edits = 1 + random.Next(3);
            for (int k = 0; k < edits; k++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(6))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;                  // flip a bit anywhere
                    case 1: bytes[at] = (byte)random.Next(256); break;                         // random byte anywhere
                    case 2: bytes[HeaderIndex(random, bytes.Count)] = jsonish[random.Next(jsonish.Length)]; break; // JSON punctuation in the header
                    case 3: bytes.RemoveAt(at); break;
                    case 4: bytes.Insert(at, jsonish[random.Next(jsonish.Length)]); break;
                    case 5: bytes[random.Next(8)] = (byte)random.Next(256); break;             // the length field
                }
            }

            SafeTensorsFile file;
            try { file = SafeTensorsFile.Parse(bytes.ToArray()); }
            catch (SafeTensorsFormatException) { rejected++; continue; }
            accepted++;
            SafeTensorsTestFiles.ReadEverything(file); // whatever was accepted must also be readable
        }

        // Both outcomes occur (data-byte mutations stay valid), and any other exception type would have failed the test.
        Assert.True(rejected > 2500, $"rejected {rejected}");
        Assert.True(accepted > 100, $"accepted {accepted}");
    }

    [Fact]
    public void RandomBytes_OnlyEverThrowFormatException()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            if (bytes.Length >= 8 && random.Next(2) == 0)
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)random.Next(bytes.Length)); // plausible length
            try { SafeTensorsTestFiles.ReadEverything(SafeTensorsFile.Parse(bytes)); }
            catch (SafeTensorsFormatException) { }
        }
    }

    private static int HeaderIndex(Random random, int count) => Math.Min(count - 1, 8 + random.Next(200));

    /// <summary>A small valid file with several dtypes, a scalar, a zero-size tensor and metadata.</summary>
    private static byte[] SampleFile() => new SafeTensorsWriter()
        .AddFloat32("w", [1f, 2f, 3f, 4f], 2, 2)
        .AddFloat32("s", [5f])
        .AddFloat32("z", [], 0, 3)
        .AddInt64("step", [42L])
        .AddUInt64("rng", [1UL, 2UL], 2)
        .AddFloat64("d", [0.5], 1)
        .AddUInt8("m", [1, 2, 3], 3)
        .SetMetadata("format", "pt")
        .ToArray();
}
