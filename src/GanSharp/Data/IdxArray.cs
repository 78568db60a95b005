namespace GanSharp.Data;

/// <summary>An unsigned-byte IDX array as stored on disk: its shape (outermost first) and its bytes, row-major.</summary>
public sealed record IdxArray(int[] Shape, byte[] Data);
