using GanSharp.Tensors;

namespace GanSharp.Data;

/// <summary>
/// An in-memory dataset of float32 examples, optionally labelled. Examples are stored row-major in
/// one array (<see cref="Count"/> x <see cref="Dimension"/>); each row is one example laid out as
/// <see cref="SampleShape"/> (CHW for images, e.g. [1, 28, 28], or [2] for points). The loaders
/// scale pixels to [0, 1] (value / 255), as Goodfellow et al. 2014 did.
/// </summary>
public sealed class Dataset
{
    /// <summary>
    /// Largest number of float elements any loader will allocate (1 GiB of float32). Readers check
    /// header-declared sizes against it before allocating, so a corrupt header cannot exhaust memory.
    /// </summary>
    public const long MaxElements = 1L << 28;

    private readonly int[] _sampleShape;

    /// <summary>
    /// Wraps <paramref name="data"/> (not copied). <paramref name="classCount"/> defaults to the
    /// largest label + 1 (0 when unlabelled).
    /// </summary>
    public Dataset(string name, float[] data, ReadOnlySpan<int> sampleShape, int[]? labels = null,
        int? classCount = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(data);
        if (sampleShape.IsEmpty)
            throw new ArgumentException("A sample shape needs at least one dimension.", nameof(sampleShape));
        long dimension = 1;
        foreach (int d in sampleShape)
        {
            if (d <= 0)
                throw new ArgumentException($"Sample shape dimensions must be positive; got [{string.Join(", ", sampleShape.ToArray())}].", nameof(sampleShape));
            dimension *= d;
            if (dimension > MaxElements)
                throw new ArgumentException($"Sample shape [{string.Join(", ", sampleShape.ToArray())}] exceeds {MaxElements} elements.", nameof(sampleShape));
        }
        if (data.Length % dimension != 0)
            throw new ArgumentException($"Data length {data.Length} is not a multiple of the example dimension {dimension}.", nameof(data));

        int count = (int)(data.Length / dimension);
        int maxLabel = -1;
        if (labels is not null)
        {
            if (labels.Length != count)
                throw new ArgumentException($"{labels.Length} labels for {count} examples.", nameof(labels));
            foreach (int label in labels)
            {
                if (label < 0) throw new ArgumentException($"Labels must be non-negative; got {label}.", nameof(labels));
                maxLabel = Math.Max(maxLabel, label);
            }
        }
        int classes = classCount ?? maxLabel + 1;
        if (classes < maxLabel + 1)
            throw new ArgumentException($"Class count {classes} is too small for label {maxLabel}.", nameof(classCount));
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException($"{classNames.Count} class names for {classes} classes.", nameof(classNames));

        Name = name;
        Data = data;
        _sampleShape = sampleShape.ToArray();
        Dimension = (int)dimension;
        Count = count;
        Labels = labels;
        ClassCount = classes;
        ClassNames = classNames;
    }

    public string Name { get; }

    /// <summary>All examples, row-major (Count x Dimension). Shared, not copied.</summary>
    public float[] Data { get; }

    public int Count { get; }

    /// <summary>Shape of one example, e.g. [1, 28, 28] (CHW) or [2]; a copy.</summary>
    public int[] SampleShape => (int[])_sampleShape.Clone();

    /// <summary>Floats per example: the product of <see cref="SampleShape"/>.</summary>
    public int Dimension { get; }

    /// <summary>One class index per example, or null for unlabelled data.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of classes (labels lie in [0, ClassCount)); 0 when unlabelled.</summary>
    public int ClassCount { get; }

    /// <summary>Human-readable class names, index = label, when the format provides them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The example at <paramref name="index"/>, without copying.</summary>
    public ReadOnlySpan<float> Example(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"Example {index} is outside [0, {Count}).");
        return Data.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>Copies the example at <paramref name="index"/> into the start of <paramref name="destination"/>.</summary>
    public void CopyExample(int index, Span<float> destination)
    {
        if (destination.Length < Dimension)
            throw new ArgumentException($"Destination holds {destination.Length} floats; an example needs {Dimension}.", nameof(destination));
        Example(index).CopyTo(destination);
    }

    /// <summary>A new dataset of the given examples, in the given order (repeats allowed); data is copied.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var data = new float[(long)indices.Length * Dimension];
        int[]? labels = Labels is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            CopyExample(indices[i], data.AsSpan(i * Dimension, Dimension));
            if (labels is not null) labels[i] = Labels![indices[i]];
        }
        return new Dataset(name ?? Name, data, _sampleShape, labels, ClassCount, ClassNames);
    }

    /// <summary>
    /// Seeded random split into disjoint train / validation / test sets covering every example:
    /// <paramref name="validation"/> and <paramref name="test"/> examples go to those sets, the rest
    /// to train. The same seed always gives the same split; each part keeps the original order.
    /// </summary>
    public static (Dataset Train, Dataset Validation, Dataset Test) Split(Dataset dataset, int validation, int test, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (validation < 0 || test < 0 || (long)validation + test > dataset.Count)
            throw new ArgumentException($"Cannot take {validation} validation and {test} test examples from {dataset.Count}.");

        var order = new int[dataset.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Rng(seed).Shuffle(order);

        // Sorting each part keeps the original order within it (and sequential memory access).
        int[] testIdx = order[..test], validationIdx = order[test..(test + validation)], trainIdx = order[(test + validation)..];
        Array.Sort(testIdx);
        Array.Sort(validationIdx);
        Array.Sort(trainIdx);
        return (dataset.Subset(trainIdx, $"{dataset.Name}/train"),
                dataset.Subset(validationIdx, $"{dataset.Name}/validation"),
                dataset.Subset(testIdx, $"{dataset.Name}/test"));
    }

    public override string ToString() =>
        $"{Name}: {Count} x [{string.Join(", ", _sampleShape)}]" + (Labels is null ? "" : $", {ClassCount} classes");
}
