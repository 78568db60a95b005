using GanSharp.Runs;
using GanSharp.Tests.Evaluation;

namespace GanSharp.Tests.Runs;

public class EvaluationClassifierTests : RunFolderTest
{
    [Fact]
    public void A_kept_classifier_is_loaded_when_trained_on_the_same_data_and_trained_anew_otherwise()
    {
        Directory.CreateDirectory(RunDir);
        var digits = GlyphDigits.Create(300, seed: 8);
        var probe = GlyphDigits.Create(50, seed: 9).Data;

        var (trained, loaded) = EvaluationClassifier.TrainOrLoad(RunDir, digits, epochs: 1, seed: 3);
        Assert.False(loaded);
        Assert.True(File.Exists(Path.Combine(RunDir, EvaluationClassifier.FileName)));
        var (again, loadedAgain) = EvaluationClassifier.TrainOrLoad(RunDir, digits, epochs: 1, seed: 3);
        Assert.True(loadedAgain);
        Assert.Equal(trained.Features(probe), again.Features(probe));

        Assert.False(EvaluationClassifier.TrainOrLoad(RunDir, digits, epochs: 2, seed: 3).Loaded);
        Assert.False(EvaluationClassifier.TrainOrLoad(RunDir, GlyphDigits.Create(300, seed: 10), epochs: 2, seed: 3).Loaded);
    }
}
