namespace GanSharp.Data;

/// <summary>
/// A .npy array as read by <see cref="NpyReader"/>: its shape (outermost first), its elements as
/// float32 in C (row-major) order, and the dtype descriptor it was stored with ('|u1', '&lt;f4', '&lt;f8').
/// </summary>
public sealed record NpyArray(int[] Shape, float[] Data, string Descr);
