using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using Xunit.Abstractions;

namespace GanSharp.Tests.Fuzz;

public class ConfigReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>A config text, read directly or (when any override is set) through <see cref="ConfigSource.Parse"/>.</summary>
    private sealed record ConfigCase(string Description, string Json, int? Steps, ulong? Seed, string[] Settings)
    {
        public bool HasOverrides => Steps is not null || Seed is not null || Settings.Length > 0;

        public override string ToString() =>
            $"{Description}; steps {Steps}, seed {Seed}, settings [{string.Join(" ", Settings)}]; JSON: {Json}";
    }

    private const string Placeholder = "__FUZZ_VALUE__";

    /// <summary>Awkward JSON values: wrong types, out-of-range and unrepresentable numbers, names of real options, lone surrogates, deep nesting.</summary>
    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-1", "1", "2", "0.5", "-0.0", "1.0", "1e400", "-1e400", "1e-400", "1000",
        "2147483647", "2147483648", "-2147483649", "9223372036854775808", "18446744073709551616",
        "\"\"", "\"x\"", "\"linear\"", "\"conv2d\"", "\"adam\"", "\"sgd\"", "\"npy\"", "\"image-folder\"", "\"gaussian1d\"",
        "\"density\"", "\"normal\"", "\"r1\"", "\"\\ud800\"", "\"\\u0000\"",
        "[]", "[1]", "[0.5, 0.999]", "[1e400, 0.5]", "[0.5]", "[{}]", "[{\"type\": \"linear\"}]", "[null]",
        "{}", "{\"type\": \"linear\"}", "{\"type\": \"adam\", \"lr\": 1e400}", "{\"\\ud800\": 1}", "{\"a\": 1, \"a\": 2}",
        new string('[', 70) + new string(']', 70), new string('[', 30) + "1" + new string(']', 30),
    ];

    private static readonly string[] Keys = ["type", "out", "x", "", "\\ud800", "layers", "steps", "batchsize", "lr", "init", "mean"];

    [Fact]
    public async Task MalformedConfigs_ParseOrThrowConfigException()
    {
        var outcomes = await FuzzRun.ReadsOrRefusesAsync<ConfigCase, ConfigException>(output, Inputs(),
            c => _ = c.HasOverrides ? ConfigSource.Parse(c.Json, "fuzz", c.Steps, c.Seed, c.Settings) : GanConfigReader.Parse(c.Json, "fuzz"),
            // Parsed documents, key lists and messages; overrides add a node tree and a re-serialised copy.
            c => FuzzRun.BaseAllocation + 64L * (c.Json.Length + c.Settings.Sum(s => s.Length)));

        Assert.True(outcomes.Refused > FuzzRun.Cases / 2, $"only {outcomes.Refused} refused");
        Assert.True(outcomes.Accepted > 100, $"only {outcomes.Accepted} accepted");
    }

    private static Gen<ConfigCase> Inputs()
    {
        Gen<(string Description, string Json)> configs =
            Gen.OneOf(Presets.Names.Select(preset => Gen.Frequency((1, TextDamage(preset)), (3, TreeDamage(preset)))));
        Gen<string[]> settings = Gen.Frequency((3, Gen.Constant(Array.Empty<string>())), (2, Gen.Choose(1, 2).SelectMany(n => Gen.ArrayOf(Setting(), n))));
        return from config in configs
               from steps in Gen.Frequency((4, Gen.Constant<int?>(null)), (1, Gen.Elements<int?>(0, 1, int.MaxValue)))
               from seed in Gen.Frequency((4, Gen.Constant<ulong?>(null)), (1, Gen.Elements<ulong?>(0, ulong.MaxValue)))
               from s in settings
               select new ConfigCase(config.Description, config.Json, steps, seed, s);
    }

    /// <summary>Byte damage to the UTF-8 text, decoded the way File.ReadAllText would (invalid bytes become U+FFFD).</summary>
    private static Gen<(string, string)> TextDamage(string preset)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(Presets.Json(preset));
        return Mutations.Mutate(preset, utf8, Mutations.ByteEdits(utf8.Length, utf8.Length), maxEdits: 4)
            .Select(m => (m.Description, Encoding.UTF8.GetString(m.Bytes)));
    }

    /// <summary>One value anywhere in the tree replaced, removed, followed by a duplicate key, or joined by a new key.</summary>
    private static Gen<(string, string)> TreeDamage(string preset)
    {
        JsonNode root = JsonNode.Parse(Presets.Json(preset))!;
        string[] paths = [.. Descendants(root).Skip(1).Select(n => n.GetPath())]; // not the root itself: it has no parent to edit
        return from index in Gen.Choose(0, paths.Length - 1)
               from action in Gen.Elements("replace", "remove", "duplicate key", "add key")
               from value in Gen.Elements(Values)
               from key in Gen.Elements(Keys)
               select ($"{preset} with {action} at {paths[index]} ({key}: {value})", Damage(root, index, action, key, value));
    }

    /// <summary>Applies an action to the <paramref name="index"/>-th node (in <see cref="Descendants"/> order, after the root) of a copy of <paramref name="root"/>.</summary>
    private static string Damage(JsonNode root, int index, string action, string key, string value)
    {
        JsonNode copy = root.DeepClone();
        JsonNode target = Descendants(copy).ElementAt(index + 1);
        JsonNode parent = target.Parent!;
        string replacement = value;
        switch (action)
        {
            case "remove" when parent is JsonObject o:
                o.Remove(target.GetPropertyName());
                return copy.ToJsonString();
            case "remove":
                ((JsonArray)parent).RemoveAt(target.GetElementIndex());
                return copy.ToJsonString();
            case "duplicate key" when parent is JsonObject:
                replacement = $"{target.ToJsonString()}, \"{target.GetPropertyName()}\": {value}";
                break;
            case "add key" when target is JsonObject:
                replacement = target.ToJsonString().TrimEnd('}') + (((JsonObject)target).Count > 0 ? ", " : "") + $"\"{key}\": {value}}}";
                break;
        }
        // Raw text goes in through a placeholder, so values JsonNode cannot hold (1e400, duplicate keys) are possible.
        if (parent is JsonObject obj) obj[target.GetPropertyName()] = Placeholder;
        else ((JsonArray)parent)[target.GetElementIndex()] = Placeholder;
        return copy.ToJsonString().Replace($"\"{Placeholder}\"", replacement);
    }

    /// <summary>A --set override: a real or invented dotted path, and a value that may not be JSON at all.</summary>
    private static Gen<string> Setting() =>
        from path in Gen.Elements("train.steps", "train.batch_size", "data.type", "data.mean", "noise.dim", "generator.layers.0.out",
            "generator.layers.99.out", "generator.layers.x", "discriminator.layers.-1", "optimizers.generator.betas.1", "objective",
            "objective.x", "train.steps.x", "", ".", "a..b", "name", "output", "layers.0")
        from value in Gen.Frequency((3, Gen.Elements(Values)), (1, Gen.Elements("lots", "", "=", "{", "[1,", "'x'")))
        select $"{path}={value}";

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
            if (child is not null)
                foreach (var d in Descendants(child)) yield return d;
    }
}
