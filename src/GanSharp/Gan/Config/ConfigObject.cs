using System.Globalization;
using System.Text.Json;

namespace GanSharp.Gan.Config;

/// <summary>
/// Strict reading of one JSON object: every getter states the key's type, range or allowed values,
/// and <see cref="Close"/> rejects any key that no getter asked for, naming the allowed ones.
/// </summary>
internal sealed class ConfigObject
{
    private readonly JsonElement _element;
    private readonly List<string> _known = [];

    public string Path { get; }

    public ConfigObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ConfigException($"{path}: expected an object, got {Describe(element)}.");
        _element = element;
        Path = path;
    }

    /// <summary>
    /// How config text is parsed everywhere: comments and trailing commas are fine, a repeated key is
    /// not (it is surely a mistake, and which copy wins would depend on the reader).
    /// </summary>
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    public static ConfigObject Parse(string json, string source) => new(ParseElement(json, source), "config");

    /// <summary>Parses config text with <see cref="JsonOptions"/>; every way the text can be malformed ends in a <see cref="ConfigException"/>.</summary>
    public static JsonElement ParseElement(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, JsonOptions);
            RequireReadableStrings(doc.RootElement);
            return doc.RootElement.Clone();
        }
        // System.Text.Json reports a string it cannot decode (an escaped lone surrogate, "\ud800") as an InvalidOperationException.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ConfigException($"{source}: not valid JSON ({e.Message}).");
        }
    }

    // Decodes every key and string once, so no getter meets an undecodable one later.
    private static void RequireReadableStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    _ = p.Name;
                    RequireReadableStrings(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) RequireReadableStrings(item);
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    private string KeyPath(string key) => $"{Path}.{key}";

    private JsonElement? Find(string key)
    {
        _known.Add(key);
        return _element.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    public bool Has(string key) => _element.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string String(string key, string? fallback, params string[] allowed)
    {
        var v = Find(key);
        if (v == null) return fallback ?? throw Missing(key, allowed.Length > 0 ? "one of " + string.Join(", ", allowed) : "a string");
        if (v.Value.ValueKind != JsonValueKind.String) throw new ConfigException($"{KeyPath(key)}: expected a string, got {Describe(v.Value)}.");
        var s = v.Value.GetString()!;
        if (allowed.Length > 0 && !allowed.Contains(s))
            throw new ConfigException($"{KeyPath(key)}: '{s}' is not allowed; allowed values: {string.Join(", ", allowed)}.");
        return s;
    }

    public double Number(string key, double? fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var v = Find(key);
        if (v == null) return fallback ?? throw Missing(key, $"a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        if (v.Value.ValueKind != JsonValueKind.Number) throw new ConfigException($"{KeyPath(key)}: expected a number, got {Describe(v.Value)}.");
        double d = v.Value.GetDouble();
        if (!(d >= min && d <= max) || !double.IsFinite(d))
            throw new ConfigException($"{KeyPath(key)}: {d.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        return d;
    }

    public int Int(string key, int? fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = Find(key);
        if (v == null) return fallback ?? throw Missing(key, $"an integer in [{min}, {max}]");
        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetInt64(out long n))
            throw new ConfigException($"{KeyPath(key)}: expected an integer, got {Describe(v.Value)}.");
        if (n < min || n > max) throw new ConfigException($"{KeyPath(key)}: {n} is out of range; allowed: [{min}, {max}].");
        return (int)n;
    }

    public ulong UInt64(string key, ulong fallback)
    {
        var v = Find(key);
        if (v == null) return fallback;
        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetUInt64(out ulong n))
            throw new ConfigException($"{KeyPath(key)}: expected a non-negative integer, got {Describe(v.Value)}.");
        return n;
    }

    public bool Bool(string key, bool fallback)
    {
        var v = Find(key);
        if (v == null) return fallback;
        return v.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ConfigException($"{KeyPath(key)}: expected true or false, got {Describe(v.Value)}."),
        };
    }

    public double[] Numbers(string key, double[] fallback, int length)
    {
        var v = Find(key);
        if (v == null) return fallback;
        if (v.Value.ValueKind != JsonValueKind.Array || v.Value.GetArrayLength() != length || v.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number))
            throw new ConfigException($"{KeyPath(key)}: expected an array of {length} numbers, got {Describe(v.Value)}.");
        return v.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    public ConfigObject? Object(string key, bool required = false)
    {
        var v = Find(key);
        if (v == null) return required ? throw Missing(key, "an object") : null;
        return new ConfigObject(v.Value, KeyPath(key));
    }

    public List<ConfigObject> Objects(string key)
    {
        var v = Find(key) ?? throw Missing(key, "an array of objects");
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
            throw new ConfigException($"{KeyPath(key)}: expected a non-empty array of objects, got {Describe(v)}.");
        return v.EnumerateArray().Select((e, i) => new ConfigObject(e, $"{KeyPath(key)}[{i}]")).ToList();
    }

    /// <summary>Rejects keys nobody asked for (typos), listing the keys that are allowed here.</summary>
    public void Close()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_known.Contains(p.Name))
                throw new ConfigException($"{Path}: unknown key '{p.Name}'; allowed keys: {string.Join(", ", _known.Distinct())}.");
    }

    private ConfigException Missing(string key, string what)
    {
        // A missing key is often a misspelt one: point at it.
        var nearMiss = _element.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != key && EditDistance(Normalise(n), Normalise(key)) <= 2);
        return new($"{KeyPath(key)}: missing; expected {what}." + (nearMiss == null ? "" : $" Found unknown key '{nearMiss}': did you mean '{key}'?"));
    }

    private static string Normalise(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Array => $"an array of {e.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };
}
