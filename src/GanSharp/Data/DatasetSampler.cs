using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>
/// Draws minibatches from a <see cref="Dataset"/> by epochs: each epoch visits every example once
/// in a fresh seeded shuffle. Batches are cut from the stream of successive epochs, so every batch
/// is full and a batch may straddle two epochs (no example is ever dropped).
/// </summary>
/// <remarks>
/// The order comes from the sampler's own seed, not from the <see cref="Rng"/> passed to
/// <see cref="NextBatch(Span{float}, int, Rng)"/>: epoch e's shuffle is a pure function of (seed, e),
/// so the data order does not depend on how much noise the trainer drew, and
/// <see cref="GetState"/> / <see cref="SetState"/> capture everything needed to resume.
/// Nothing is allocated per batch. Checkpoints see the state through <see cref="IStatefulDataSource"/>
/// as the integer arrays "permutation", "position", "epoch" and "seed".
/// </remarks>
public sealed class DatasetSampler : IStatefulDataSource, ILabelledDataSource
{
    private readonly int[] _permutation;
    private readonly Rng _shuffleRng = new(0);
    private int _position;
    private ulong _seed;

    public DatasetSampler(Dataset dataset, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
            throw new ArgumentException($"Dataset '{dataset.Name}' is empty; there is nothing to sample.", nameof(dataset));
        Dataset = dataset;
        _seed = seed;
        _permutation = new int[dataset.Count];
        Reshuffle();
    }

    public Dataset Dataset { get; }

    public int Dimension => Dataset.Dimension;

    /// <summary>Number of classes of the labels (0 when the dataset has none).</summary>
    public int ClassCount => Dataset.Labels == null ? 0 : Dataset.ClassCount;

    /// <summary>Completed passes over the data (0 during the first epoch).</summary>
    public int Epoch { get; private set; }

    /// <summary>Batches needed to finish one pass: ceil(Count / batch).</summary>
    public int StepsPerEpoch(int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch size must be >= 1; got {batch}.");
        return (int)((Dataset.Count + (long)batch - 1) / batch);
    }

    /// <summary>Writes the next <paramref name="batch"/> examples; <paramref name="rng"/> is not used (see remarks).</summary>
    public void NextBatch(Span<float> destination, int batch, Rng rng) => NextBatch(destination, [], batch);

    /// <summary>
    /// Writes the next <paramref name="batch"/> examples and, when <paramref name="labels"/> is
    /// not empty, their labels (the dataset must be labelled).
    /// </summary>
    public void NextBatch(Span<float> destination, Span<int> labels, int batch)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch size must be >= 0; got {batch}.");
        int dim = Dataset.Dimension;
        if (destination.Length < (long)batch * dim)
            throw new ArgumentException($"Destination holds {destination.Length} floats; {batch} examples need {(long)batch * dim}.", nameof(destination));
        bool withLabels = !labels.IsEmpty;
        if (withLabels && Dataset.Labels is null)
            throw new InvalidOperationException($"Dataset '{Dataset.Name}' has no labels.");
        if (withLabels && labels.Length < batch)
            throw new ArgumentException($"Labels hold {labels.Length} entries; the batch needs {batch}.", nameof(labels));

        float[] data = Dataset.Data;
        for (int i = 0; i < batch; i++)
        {
            int index = _permutation[_position];
            data.AsSpan(index * dim, dim).CopyTo(destination.Slice(i * dim, dim));
            if (withLabels) labels[i] = Dataset.Labels![index];
            if (++_position == _permutation.Length)
            {
                Epoch++;
                Reshuffle();
            }
        }
    }

    /// <summary>A snapshot of the shuffle position (the permutation is copied).</summary>
    public SamplerState GetState() => new((int[])_permutation.Clone(), _position, Epoch, _seed);

    /// <summary>Restores a snapshot from <see cref="GetState"/>, validating it against this dataset.</summary>
    public void SetState(SamplerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int n = _permutation.Length;
        if (state.Permutation is null || state.Permutation.Length != n)
            throw new ArgumentException($"Sampler state has a permutation of {state.Permutation?.Length ?? 0} indices; dataset '{Dataset.Name}' has {n} examples.", nameof(state));
        if (state.Position < 0 || state.Position >= n)
            throw new ArgumentException($"Sampler state position {state.Position} is outside [0, {n}).", nameof(state));
        if (state.Epoch < 0)
            throw new ArgumentException($"Sampler state epoch {state.Epoch} is negative.", nameof(state));
        var seen = new bool[n];
        foreach (int i in state.Permutation)
        {
            if ((uint)i >= (uint)n || seen[i])
                throw new ArgumentException("Sampler state permutation is not a permutation of the dataset's indices.", nameof(state));
            seen[i] = true;
        }
        state.Permutation.CopyTo(_permutation, 0);
        _position = state.Position;
        Epoch = state.Epoch;
        _seed = state.Seed;
    }

    IEnumerable<(string Name, long[] Values)> IStatefulDataSource.GetState()
    {
        SamplerState state = GetState();
        yield return ("permutation", [.. state.Permutation.Select(i => (long)i)]);
        yield return ("position", [state.Position]);
        yield return ("epoch", [state.Epoch]);
        yield return ("seed", [unchecked((long)state.Seed)]);
    }

    void IStatefulDataSource.SetState(IReadOnlyDictionary<string, long[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long[] Entry(string name) => state.TryGetValue(name, out long[]? v) && v is not null
            ? v
            : throw new ArgumentException($"Sampler state has no '{name}' entry (saved from another data source?).", nameof(state));
        int ToInt(long v, string name) => v is >= int.MinValue and <= int.MaxValue
            ? (int)v
            : throw new ArgumentException($"Sampler state '{name}' value {v} is out of range.", nameof(state));
        long[] Scalar(string name) => Entry(name) is { Length: 1 } v
            ? v
            : throw new ArgumentException($"Sampler state '{name}' must hold one value.", nameof(state));

        SetState(new SamplerState(
            [.. Entry("permutation").Select(i => ToInt(i, "permutation"))],
            ToInt(Scalar("position")[0], "position"),
            ToInt(Scalar("epoch")[0], "epoch"),
            unchecked((ulong)Scalar("seed")[0])));
    }

    // Each epoch shuffles the identity with a generator seeded from (seed, epoch). The two are
    // hashed together because nearby Rng seeds give overlapping SplitMix streams.
    private void Reshuffle()
    {
        for (int i = 0; i < _permutation.Length; i++) _permutation[i] = i;
        _shuffleRng.Seed(Mix(_seed ^ Mix((ulong)Epoch + 0x632BE59BD9B4E019UL)));
        _shuffleRng.Shuffle(_permutation);
        _position = 0;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
