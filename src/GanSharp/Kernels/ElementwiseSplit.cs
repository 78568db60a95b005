using System.Runtime.InteropServices;

namespace GanSharp.Kernels;

/// <summary>
/// Runs an elementwise kernel over a long span as consecutive slices on the <see cref="ComputeThreads"/>.
/// </summary>
/// <remarks>
/// Slices start at multiples of 64 floats, so a vectorised kernel treats every element the way it
/// does on the whole span (whole vectors, with the same remainder at the very end): results do not
/// depend on the thread count. Spans shorter than <see cref="Threshold"/> run inline.
/// </remarks>
internal static unsafe class ElementwiseSplit
{
    /// <summary>y = f(x; arg) elementwise.</summary>
    public delegate void Unary(ReadOnlySpan<float> x, Span<float> y, float arg);

    /// <summary>y = f(a, b; arg) elementwise.</summary>
    public delegate void Binary(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, float arg);

    /// <summary>Below this many floats a hand-off to another thread costs more than it saves.</summary>
    public const int Threshold = 1 << 15;

    private const int Align = 64;

    private struct Job
    {
        public float* X, Other, Y;
        public int Length;
        public float Arg;
        public BinaryOp Op;
        public nint Kernel; // a GCHandle to the Unary or Binary delegate
    }

    public static void Run(ReadOnlySpan<float> x, Span<float> y, float arg, Unary kernel)
    {
        int parts = Parts(x.Length);
        if (parts == 1)
        {
            kernel(x, y, arg);
            return;
        }
        if (y.Length < x.Length) throw new ArgumentException("ElementwiseSplit: output shorter than input.");
        fixed (float* px = x, py = y)
        {
            var job = new Job { X = px, Y = py, Length = x.Length, Arg = arg };
            RunWithKernel(kernel, ref job, parts, &UnaryPart);
        }
    }

    /// <summary>y = f(a, b; arg) for spans of one length.</summary>
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, float arg, Binary kernel)
    {
        if (b.Length < a.Length || y.Length < a.Length) throw new ArgumentException("ElementwiseSplit: operands of different lengths.");
        int parts = Parts(a.Length);
        if (parts == 1)
        {
            kernel(a, b[..a.Length], y[..a.Length], arg);
            return;
        }
        fixed (float* pa = a, pb = b, py = y)
        {
            var job = new Job { X = pa, Other = pb, Y = py, Length = a.Length, Arg = arg };
            RunWithKernel(kernel, ref job, parts, &BinaryArgPart);
        }
    }

    /// <summary>Runs <paramref name="part"/> with the job's Kernel set to a handle of <paramref name="kernel"/>, held for the call.</summary>
    private static void RunWithKernel(Delegate kernel, ref Job job, int parts, delegate*<int, int, void*, void> part)
    {
        var handle = GCHandle.Alloc(kernel);
        try
        {
            job.Kernel = GCHandle.ToIntPtr(handle);
            fixed (Job* context = &job) ComputeThreads.Run(parts, part, context);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>y = a (op) b for spans of one length.</summary>
    public static void Run(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (b.Length < a.Length || y.Length < a.Length) throw new ArgumentException("ElementwiseSplit: operands of different lengths.");
        fixed (float* pa = a, pb = b, py = y)
        {
            var job = new Job { X = pa, Other = pb, Y = py, Length = a.Length, Op = op };
            ComputeThreads.Run(Parts(a.Length), &BinaryPart, &job);
        }
    }

    /// <summary>How many slices a pass over <paramref name="length"/> floats is cut into (1 below <see cref="Threshold"/>).</summary>
    internal static int Parts(int length) => length < Threshold ? 1 : ComputeThreads.Count;

    /// <summary>Slice <paramref name="part"/> of <paramref name="parts"/> of [0, length): it starts on a multiple of 64; the last one takes the remainder.</summary>
    internal static (int Start, int Length) Slice(int length, int part, int parts)
    {
        int blocks = length / Align;
        int start = blocks * part / parts * Align;
        int end = part == parts - 1 ? length : blocks * (part + 1) / parts * Align;
        return (start, end - start);
    }

    private static void UnaryPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (start, length) = Slice(job.Length, part, parts);
        var kernel = (Unary)GCHandle.FromIntPtr(job.Kernel).Target!;
        kernel(new ReadOnlySpan<float>(job.X + start, length), new Span<float>(job.Y + start, length), job.Arg);
    }

    private static void BinaryArgPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (start, length) = Slice(job.Length, part, parts);
        var kernel = (Binary)GCHandle.FromIntPtr(job.Kernel).Target!;
        kernel(new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Other + start, length),
            new Span<float>(job.Y + start, length), job.Arg);
    }

    private static void BinaryPart(int part, int parts, void* context)
    {
        ref readonly Job job = ref *(Job*)context;
        var (start, length) = Slice(job.Length, part, parts);
        BroadcastKernels.Row(job.Op, new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Other + start, length),
            new Span<float>(job.Y + start, length));
    }
}
