using GanSharp.Data;

namespace GanSharp.Gan.Config;

/// <summary>
/// The data of a run: the source training draws from, the shape of one example, and (for stored
/// datasets) the training set and the held-out validation and test sets that evaluation uses.
/// </summary>
public sealed record DataBundle(IDataSource Train, int[] SampleShape, Dataset? TrainSet = null, Dataset? Validation = null, Dataset? Test = null)
{
    public int Dimension => Train.Dimension;

    /// <summary>True when one example is an image (channels, height, width).</summary>
    public bool IsImage => SampleShape.Length == 3;
}
