namespace GanSharp.Tensors;

/// <summary>Copies a possibly strided view into dense row-major order.</summary>
internal static class Strided
{
    public static void CopyToContiguous(Tensor src, Span<float> dst)
    {
        src.CheckAlive();
        int n = src.Length;
        if (dst.Length < n) throw new ArgumentException($"Copy destination holds {dst.Length} values; {n} needed.");
        if (src.IsContiguous) { src._storage.AsSpan(src._offset, n).CopyTo(dst); return; }

        int rank = src.Rank;
        int last = src._shape[rank - 1], lastStride = src._strides[rank - 1];
        Span<int> index = stackalloc int[Shape.MaxRank];
        index.Clear();
        var data = src._storage;
        for (int written = 0; written < n; written += last)
        {
            int off = src._offset;
            for (int d = 0; d < rank - 1; d++) off += index[d] * src._strides[d];
            for (int j = 0; j < last; j++) dst[written + j] = data[off + j * lastStride];
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < src._shape[d]) break;
                index[d] = 0;
            }
        }
    }
}
