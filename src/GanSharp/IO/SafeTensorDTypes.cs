namespace GanSharp.IO;

/// <summary>The element types the safetensors format defines, with their sizes in bits.</summary>
internal static class SafeTensorDTypes
{
    public const string F32 = "F32";
    public const string F64 = "F64";
    public const string I64 = "I64";
    public const string U64 = "U64";
    public const string U8 = "U8";

    // Every dtype the reference implementation accepts, so files holding types we cannot convert
    // (F16, BF16, FP8, ...) still load and can be inspected. The sub-byte types are only valid when
    // a tensor's elements fill whole bytes.
    private static readonly Dictionary<string, int> Bits = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 8,
        ["F4"] = 4,
        ["F6_E2M3"] = 6,
        ["F6_E3M2"] = 6,
        ["U8"] = 8,
        ["I8"] = 8,
        ["F8_E5M2"] = 8,
        ["F8_E4M3"] = 8,
        ["F8_E8M0"] = 8,
        ["F8_E4M3FNUZ"] = 8,
        ["F8_E5M2FNUZ"] = 8,
        ["I16"] = 16,
        ["U16"] = 16,
        ["F16"] = 16,
        ["BF16"] = 16,
        ["I32"] = 32,
        ["U32"] = 32,
        ["F32"] = 32,
        ["C64"] = 64,
        ["F64"] = 64,
        ["I64"] = 64,
        ["U64"] = 64,
    };

    /// <summary>Size of one element in bits, or false for a name the format does not define (names are case-sensitive).</summary>
    public static bool TryGetBits(string dtype, out int bits) => Bits.TryGetValue(dtype, out bits);
}
