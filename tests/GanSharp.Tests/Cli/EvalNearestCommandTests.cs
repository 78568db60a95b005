using System.Text.Json;
using GanSharp.Evaluation;
using GanSharp.Gan.Config;
using GanSharp.Runs;
using GanSharp.Tests.Runs;

namespace GanSharp.Tests.Cli;

/// <summary>`gansharp eval nearest`: nearest-training-example distances of G's samples beside those of held-out examples.</summary>
public class EvalNearestCommandTests : RunFolderTest
{
    [Fact]
    public void Held_out_distances_match_a_brute_force_search_and_samples_get_theirs()
    {
        TrainTinyVectorRun(5);

        var (code, output) = CliProcess.Run("eval", "nearest", RunDir, "--samples", "30");
        Assert.True(code == 0, output);
        Assert.Contains("G's 30 samples:", output);
        Assert.Contains("20 held-out examples:", output);

        var bundle = GanFactory.CreateData(ConfigSource.Load(Path.Combine(RunDir, "config.json")));
        var train = bundle.TrainSet!;
        var test = bundle.Test!;
        var brute = Enumerable.Range(0, test.Count).Select(i => Enumerable.Range(0, train.Count).Min(j =>
            Math.Sqrt(Enumerable.Range(0, 16).Sum(d => Math.Pow(test.Data[i * 16 + d] - train.Data[j * 16 + d], 2))))).Order().ToArray();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunDir, "nearest.json")));
        var heldOut = json.RootElement.GetProperty("held_out_examples");
        Assert.Equal(brute[0], heldOut.GetProperty("min").GetDouble(), 4);
        Assert.Equal(brute[9], heldOut.GetProperty("median").GetDouble(), 4); // nearest rank: the 10th of 20
        Assert.Equal(brute[1], heldOut.GetProperty("p10").GetDouble(), 4);
        var generator = json.RootElement.GetProperty("generator");
        Assert.InRange(generator.GetProperty("min").GetDouble(), 1e-3, generator.GetProperty("median").GetDouble());
        Assert.Equal(30, json.RootElement.GetProperty("samples").GetInt32());
    }

    [Fact]
    public void Distances_are_those_of_the_nearest_reference()
    {
        float[] references = [0, 0, 3, 4, 10, 10];
        float[] queries = [3, 4, 1, 1, 9, 9];
        var d = NearestNeighbours.Distances(queries, references, 2);
        Assert.Equal(0, d[0], 3);
        Assert.Equal(Math.Sqrt(2), d[1], 5);
        Assert.Equal(Math.Sqrt(2), d[2], 5);
        Assert.Equal([1, 0, 2], NearestNeighbours.Find(queries, references, 2));
    }
}
