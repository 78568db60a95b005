namespace GanSharp.Data;

/// <summary>A data source whose examples carry class labels (for conditional GANs).</summary>
public interface ILabelledDataSource : IDataSource
{
    int ClassCount { get; }

    /// <summary>Writes <c>batch</c> examples and their labels.</summary>
    void NextBatch(Span<float> destination, Span<int> labels, int batch);
}
