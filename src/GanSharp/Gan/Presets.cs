using System.Reflection;

namespace GanSharp.Gan;

/// <summary>Configs shipped inside the library (embedded JSON), used by name: `gansharp train toy1d`.</summary>
public static class Presets
{
    private const string Prefix = "GanSharp.Gan.Presets.";

    public static IReadOnlyList<string> Names { get; } = typeof(Presets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static bool Exists(string name) => Names.Contains(name);

    /// <summary>The preset's JSON text, exactly as shipped.</summary>
    public static string Json(string name)
    {
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream(Prefix + name + ".json")
            ?? throw new ArgumentException($"Unknown preset '{name}'; presets: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
