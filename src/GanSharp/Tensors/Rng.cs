using System.Numerics;
using System.Runtime.CompilerServices;

namespace GanSharp.Tensors;

/// <summary>
/// xoshiro256** generator: fast, seedable, and its whole state can be saved and restored,
/// which checkpoints need for bit-exact resume. Not thread-safe; give each thread its own.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private float _spareNormal;
    private bool _hasSpare;

    /// <summary>The generator used when a module or function is given none (PyTorch's default generator).</summary>
    public static Rng Shared { get; } = new(0);

    public Rng(ulong seed) => Seed(seed);

    /// <summary>Reset the state from a seed (SplitMix64 expansion, as the xoshiro authors recommend).</summary>
    public void Seed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
        _hasSpare = false;
        _spareNormal = 0;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float of that grid equally likely).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextInt needs n > 0; got {n}.");
        return (int)((NextUInt64() >> 32) * (ulong)n >> 32);
    }

    /// <summary>Standard normal by the Box-Muller transform (the spare value is part of the state).</summary>
    public float NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u1 = ((NextUInt64() >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
        double u2 = (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = (float)(r * Math.Sin(2 * Math.PI * u2));
        _hasSpare = true;
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    public void FillUniform(Span<float> dst, float low, float high)
    {
        float scale = high - low;
        for (int i = 0; i < dst.Length; i++) dst[i] = low + scale * NextFloat();
    }

    public void FillNormal(Span<float> dst, float mean, float std)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = mean + std * NextNormal();
    }

    /// <summary>
    /// Inverted-dropout mask: each entry is <paramref name="scale"/> with probability keep, else 0.
    /// One 64-bit draw gives four 16-bit comparisons, which keeps the mask cheap.
    /// </summary>
    public void FillBernoulliMask(Span<float> dst, float keep, float scale)
    {
        uint threshold = (uint)Math.Clamp(Math.Round(keep * 65536.0), 0, 65536);
        int i = 0;
        for (; i + 4 <= dst.Length; i += 4)
        {
            ulong r = NextUInt64();
            dst[i] = (uint)(r & 0xFFFF) < threshold ? scale : 0f;
            dst[i + 1] = (uint)((r >> 16) & 0xFFFF) < threshold ? scale : 0f;
            dst[i + 2] = (uint)((r >> 32) & 0xFFFF) < threshold ? scale : 0f;
            dst[i + 3] = (uint)(r >> 48) < threshold ? scale : 0f;
        }
        for (; i < dst.Length; i++) dst[i] = (uint)(NextUInt64() >> 48) < threshold ? scale : 0f;
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The full state as 5 words (4 state words, then the spare normal and its flag) for checkpoints.</summary>
    public ulong[] GetState() =>
        [_s0, _s1, _s2, _s3, ((ulong)BitConverter.SingleToUInt32Bits(_spareNormal) << 1) | (_hasSpare ? 1UL : 0UL)];

    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 5) throw new ArgumentException($"An Rng state has 5 words; got {state.Length}.");
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("An all-zero xoshiro state is invalid.");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = (state[4] & 1) != 0;
        _spareNormal = BitConverter.UInt32BitsToSingle((uint)(state[4] >> 1));
    }
}
