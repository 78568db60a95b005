using System.Text.Json;
using System.Text.Json.Nodes;
using GanSharp.Gan;
using GanSharp.Gan.Config;

namespace GanSharp.Runs;

/// <summary>Resolves "a preset name or a JSON file" and applies command-line overrides before validation.</summary>
public static class ConfigSource
{
    public static GanConfig Load(string presetOrPath, int? steps = null, ulong? seed = null, IReadOnlyList<string>? settings = null)
    {
        string json, source;
        if (Presets.Exists(presetOrPath)) (json, source) = (Presets.Json(presetOrPath), $"preset {presetOrPath}");
        else if (File.Exists(presetOrPath)) (json, source) = (File.ReadAllText(presetOrPath), presetOrPath);
        else
            throw new ConfigException($"'{presetOrPath}' is neither a preset ({string.Join(", ", Presets.Names)}) nor an existing config file.");
        return Parse(json, source, steps, seed, settings);
    }

    /// <summary>Parses a config, with overrides written into the JSON so the run folder's config.json is the effective one.</summary>
    public static GanConfig Parse(string json, string source, int? steps = null, ulong? seed = null, IReadOnlyList<string>? settings = null)
    {
        if (steps != null || seed != null || settings is { Count: > 0 })
        {
            JsonElement root = ConfigObject.ParseElement(json, source);
            if (root.ValueKind != JsonValueKind.Object) throw new ConfigException($"{source}: the config must be a JSON object.");
            var obj = JsonObject.Create(root)!;
            if (obj["train"] is not JsonObject train) obj["train"] = train = new JsonObject();
            if (steps != null) train["steps"] = steps.Value;
            if (seed != null) train["seed"] = seed.Value;
            foreach (var setting in settings ?? []) Apply(obj, setting);
            json = obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
        return GanConfigReader.Parse(json, source);
    }

    /// <summary>
    /// Applies one "dotted.path=value" override (--set data.type=mnist10k). The value is read as JSON
    /// when it parses (numbers, true/false, arrays), else as a string. Validation happens afterwards.
    /// </summary>
    private static void Apply(JsonObject root, string setting)
    {
        int eq = setting.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set '{setting}': expected key.path=value.");
        var path = setting[..eq].Split('.');
        JsonNode value;
        try
        {
            value = JsonNode.Parse(setting[(eq + 1)..]) ?? JsonValue.Create(setting[(eq + 1)..]);
            // Strings are only decoded when written: do it now, so an undecodable one ("\ud800") is blamed on this override.
            value.ToJsonString();
        }
        catch (JsonException) { value = JsonValue.Create(setting[(eq + 1)..]); }
        catch (InvalidOperationException e) { throw new ConfigException($"--set '{setting}': the value is not valid JSON ({e.Message})."); }
        JsonNode node = root;
        for (int i = 0; i < path.Length; i++)
        {
            bool last = i == path.Length - 1;
            if (node is JsonArray array)
            {
                if (!int.TryParse(path[i], out int index) || index < 0 || index >= array.Count)
                    throw new ConfigException($"--set '{setting}': '{path[i]}' is not an index of an array of {array.Count}.");
                if (last) array[index] = value;
                else node = array[index] ?? throw new ConfigException($"--set '{setting}': element {index} is null.");
            }
            else if (node is JsonObject obj)
            {
                if (last) obj[path[i]] = value;
                else
                {
                    if (obj[path[i]] is not (JsonObject or JsonArray)) obj[path[i]] = new JsonObject();
                    node = obj[path[i]]!;
                }
            }
            else throw new ConfigException($"--set '{setting}': '{string.Join('.', path[..i])}' is not an object or array.");
        }
    }
}
