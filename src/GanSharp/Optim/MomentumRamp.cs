namespace GanSharp.Optim;

/// <summary>
/// pylearn2's MomentumAdjustor: momentum stays at <see cref="Initial"/> until epoch
/// <see cref="StartEpoch"/>, rises linearly to <see cref="Final"/> at <see cref="SaturateEpoch"/>, then stays.
/// </summary>
public sealed class MomentumRamp
{
    private readonly Sgd _optimizer;

    public float Initial { get; }
    public float Final { get; }
    public int StartEpoch { get; }
    public int SaturateEpoch { get; }

    public MomentumRamp(Sgd optimizer, float initial, float final, int startEpoch, int saturateEpoch)
    {
        if (saturateEpoch <= startEpoch) throw new ArgumentException($"Momentum ramp: saturate epoch {saturateEpoch} must be after start epoch {startEpoch}.");
        _optimizer = optimizer;
        Initial = initial;
        Final = final;
        StartEpoch = startEpoch;
        SaturateEpoch = saturateEpoch;
        _optimizer.Momentum = initial;
    }

    public float MomentumAt(double epoch)
    {
        double t = Math.Clamp((epoch - StartEpoch) / (SaturateEpoch - StartEpoch), 0.0, 1.0);
        return (float)(Initial + t * (Final - Initial));
    }

    /// <summary>Call at the start of each epoch (fractional epochs allowed).</summary>
    public void Update(double epoch) => _optimizer.Momentum = MomentumAt(epoch);
}
