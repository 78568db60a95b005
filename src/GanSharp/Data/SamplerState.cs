namespace GanSharp.Data;

/// <summary>
/// Where a <see cref="DatasetSampler"/> stands, for checkpoints: the current epoch's order of
/// example indices, the position of the next example in it, the number of completed epochs, and
/// the seed that orders future epochs. Restoring it reproduces the same future batches exactly.
/// </summary>
public sealed record SamplerState(int[] Permutation, int Position, int Epoch, ulong Seed);
