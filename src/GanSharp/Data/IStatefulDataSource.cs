namespace GanSharp.Data;

/// <summary>A data source whose position (shuffle order, epoch) must be saved for an exact resume.</summary>
public interface IStatefulDataSource : IDataSource
{
    IEnumerable<(string Name, long[] Values)> GetState();

    void SetState(IReadOnlyDictionary<string, long[]> state);
}
