namespace GanSharp.Gan;

/// <summary>
/// A loss or a parameter became NaN or infinite. The trainer throws it in the step where it happened,
/// before that step is reported or checkpointed, so the newest checkpoint on disk is the last good state.
/// </summary>
public sealed class TrainingDivergedException(int step, string what)
    : Exception($"step {step}: {what}. Training stopped; lower the learning rate or change the objective (the newest checkpoint predates this step).")
{
    public int Step { get; } = step;
}
