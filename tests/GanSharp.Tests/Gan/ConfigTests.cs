using GanSharp.Gan;
using GanSharp.Gan.Config;
using GanSharp.Runs;

namespace GanSharp.Tests.Gan;

public class ConfigTests
{
    private static string Toy => Presets.Json("toy1d");

    private static ConfigException Fails(string json) => Assert.Throws<ConfigException>(() => GanConfigReader.Parse(json));

    [Fact]
    public void Every_preset_parses_and_builds()
    {
        Assert.Contains("toy1d", Presets.Names);
        foreach (var name in Presets.Names)
        {
            var config = GanConfigReader.Parse(Presets.Json(name), name);
            // Tests bring no datasets: stored-data presets get random images of the right shape.
            var bundle = config.Data is StoredDataConfig stored ? RandomImages(stored.Type == "cifar10" ? [3, 32, 32] : [stored.Stack, 28, 28]) : GanFactory.CreateData(config);
            var trainer = GanFactory.CreateTrainer(config, bundle);
            Assert.Equal(config.Train.BatchSize, trainer.BatchSize);
            trainer.TrainStep();
        }
    }

    private static DataBundle RandomImages(int[] shape)
    {
        int dim = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[300 * dim];
        new GanSharp.Tensors.Rng(1).FillUniform(data, 0, 1);
        var set = new GanSharp.Data.Dataset("random", data, shape);
        return new DataBundle(new GanSharp.Data.DatasetSampler(set, 0), shape, set);
    }

    [Fact]
    public void Unknown_keys_are_refused_with_the_allowed_keys()
    {
        var e = Fails(Toy.Replace("\"batch_size\"", "\"batchsize\""));
        Assert.Contains("config.train", e.Message);
        Assert.Contains("batchsize", e.Message);
        Assert.Contains("batch_size", e.Message);
        var e2 = Fails(Toy.Replace("\"name\": \"toy1d\",", "\"name\": \"toy1d\", \"colour\": 3,"));
        Assert.Contains("unknown key 'colour'", e2.Message);
    }

    [Fact]
    public void Bad_values_name_the_key_and_what_is_allowed()
    {
        var e = Fails(Toy.Replace("\"objective\": \"non-saturating\"", "\"objective\": \"wasserstein-ish\""));
        Assert.Contains("config.objective", e.Message);
        Assert.Contains("minimax", e.Message);
        var e2 = Fails(Toy.Replace("{ \"type\": \"tanh\" }", "{ \"type\": \"tanhh\" }"));
        Assert.Contains("config.discriminator.layers[1].type", e2.Message);
        Assert.Contains("leaky_relu", e2.Message);
        var e3 = Fails(Toy.Replace("\"k\": 1", "\"k\": 0"));
        Assert.Contains("config.train.k", e3.Message);
        Assert.Contains("[1, 1000]", e3.Message);
        var e4 = Fails(Toy.Replace("\"lr\": 0.0002", "\"lr\": \"fast\""));
        Assert.Contains("config.optimizers.generator.lr", e4.Message);
        Assert.Contains("expected a number", e4.Message);
        var e5 = Fails(Toy.Replace("\"pack\": 4", "\"pack\": 3"));
        Assert.Contains("pack", e5.Message);
    }

    [Fact]
    public void Network_sizes_must_chain_to_the_data()
    {
        var e = Assert.Throws<ConfigException>(() => GanFactory.CreateTrainer(GanConfigReader.Parse(Toy.Replace("{ \"type\": \"linear\", \"out\": 1 }\n    ]\n  },\n  \"discriminator\"", "{ \"type\": \"linear\", \"out\": 2 }\n    ]\n  },\n  \"discriminator\""))));
        Assert.Contains("generator", e.Message);
        Assert.Contains("2 features", e.Message);
    }

    [Fact]
    public void Malformed_json_is_a_config_error()
    {
        var e = Fails("{ \"name\": ");
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Overrides_are_written_into_the_effective_config()
    {
        var c = ConfigSource.Load("toy1d", steps: 7, seed: 42);
        Assert.Equal(7, c.Train.Steps);
        Assert.Equal(42UL, c.Train.Seed);
        Assert.Equal(7, GanConfigReader.Parse(c.Json).Train.Steps);
        Assert.Throws<ConfigException>(() => ConfigSource.Load("no-such-preset-or-file"));
    }

    [Fact]
    public void Set_overrides_reach_objects_and_array_elements()
    {
        var c = ConfigSource.Load("toy1d", settings: ["data.mean=2.5", "generator.layers.0.out=16", "objective=hinge", "optimizers.generator.betas=[0.0, 0.9]"]);
        Assert.Equal(2.5, ((Gaussian1DDataConfig)c.Data).Mean);
        Assert.Equal(16, c.Generator.Layers[0].Out);
        Assert.Equal("hinge", c.Objective);
        Assert.Equal(0.9f, c.GeneratorOptimizer.Beta2);
        var e = Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d", settings: ["generator.layers.9.out=3"]));
        Assert.Contains("not an index", e.Message);
        Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d", settings: ["train.batch_size=lots"]));
    }

    [Fact]
    public void Repeated_keys_are_refused_with_and_without_overrides()
    {
        string json = Toy.Replace("\"batch_size\": 128", "\"batch_size\": 128, \"batch_size\": 64");
        Assert.Contains("batch_size", Fails(json).Message);
        Assert.Contains("batch_size", Assert.Throws<ConfigException>(() => ConfigSource.Parse(json, "c.json", steps: 5)).Message);
    }

    [Fact]
    public void Undecodable_strings_are_refused_as_invalid_json()
    {
        // "\ud800" is valid JSON syntax, but a lone surrogate that System.Text.Json will not decode.
        string inValue = Toy.Replace("\"non-saturating\"", "\"\\ud800\"");
        string inKey = Toy.Replace("\"objective\"", "\"\\ud800\"");
        foreach (string json in new[] { inValue, inKey })
        {
            Assert.Contains("not valid JSON", Fails(json).Message);
            Assert.Contains("not valid JSON", Assert.Throws<ConfigException>(() => ConfigSource.Parse(json, "c.json", steps: 5)).Message);
        }
        var e = Assert.Throws<ConfigException>(() => ConfigSource.Load("toy1d", settings: ["objective=\"\\ud800\""]));
        Assert.Contains("--set", e.Message);
    }
}
