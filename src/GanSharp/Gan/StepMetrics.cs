namespace GanSharp.Gan;

/// <summary>What one iteration of Algorithm 1 did (discriminator numbers are from its last of k steps).</summary>
public readonly record struct StepMetrics(
    int Step,
    float DiscriminatorLoss,
    float GeneratorLoss,
    float MeanDReal,
    float MeanDFake,
    double Seconds)
{
    public const string CsvHeader = "step,d_loss,g_loss,d_real,d_fake,seconds";

    public string ToCsv() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Step},{DiscriminatorLoss:G7},{GeneratorLoss:G7},{MeanDReal:G7},{MeanDFake:G7},{Seconds:G7}");
}
