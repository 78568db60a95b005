using GanSharp.Tensors;

namespace GanSharp.Kernels;

/// <summary>
/// Iteration plan for an output shape and up to two broadcast operands, all dense row-major.
/// Dimensions of size 1 are dropped and neighbours that stay contiguous for every operand are
/// merged, so common cases (same shape, row bias, column scale, scalar) become one or a few long
/// rows that span kernels process. Operand strides are 0 along broadcast dimensions.
/// </summary>
internal struct BroadcastPlan
{
    public int Rank;
    public Dims Size;
    public Dims StrideA;
    public Dims StrideB;

    public readonly int RowLength => Size[Rank - 1];
    public readonly int LastStrideA => StrideA[Rank - 1];
    public readonly int LastStrideB => StrideB[Rank - 1];

    public static BroadcastPlan Create(in Shape output, in Shape a, in Shape b)
    {
        int r = output.Rank;
        Span<int> sa = stackalloc int[Shape.MaxRank];
        Span<int> sb = stackalloc int[Shape.MaxRank];
        Aligned(output, a, sa);
        Aligned(output, b, sb);

        var plan = new BroadcastPlan();
        for (int i = 0; i < r; i++)
        {
            int size = output[i];
            if (size == 1) continue;
            if (plan.Rank > 0)
            {
                int p = plan.Rank - 1;
                if (plan.StrideA[p] == sa[i] * size && plan.StrideB[p] == sb[i] * size)
                {
                    plan.Size[p] *= size;
                    plan.StrideA[p] = sa[i];
                    plan.StrideB[p] = sb[i];
                    continue;
                }
            }
            plan.Size[plan.Rank] = size;
            plan.StrideA[plan.Rank] = sa[i];
            plan.StrideB[plan.Rank] = sb[i];
            plan.Rank++;
        }
        if (plan.Rank == 0)
        {
            plan.Rank = 1;
            plan.Size[0] = 1;
            plan.StrideA[0] = 1;
            plan.StrideB[0] = 1;
        }
        return plan;
    }

    /// <summary>Strides of operand <paramref name="s"/> aligned right to <paramref name="output"/>; 0 where it broadcasts.</summary>
    private static void Aligned(in Shape output, in Shape s, Span<int> strides)
    {
        int r = output.Rank, lead = r - s.Rank, stride = 1;
        for (int i = r - 1; i >= 0; i--)
        {
            int size = i >= lead ? s[i - lead] : 1;
            strides[i] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    /// <summary>Number of rows (product of all but the last merged dimension).</summary>
    public readonly int Rows
    {
        get
        {
            int n = 1;
            for (int i = 0; i < Rank - 1; i++) n *= Size[i];
            return n;
        }
    }

    /// <summary>Operand offsets of the row after the one described by <paramref name="index"/>, advancing it.</summary>
    public readonly void Advance(Span<int> index, ref int offA, ref int offB)
    {
        for (int d = Rank - 2; d >= 0; d--)
        {
            offA += StrideA[d];
            offB += StrideB[d];
            if (++index[d] < Size[d]) return;
            offA -= StrideA[d] * Size[d];
            offB -= StrideB[d] * Size[d];
            index[d] = 0;
        }
    }
}
