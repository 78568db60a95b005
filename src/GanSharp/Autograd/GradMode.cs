namespace GanSharp.Autograd;

/// <summary>Whether ops record the graph (PyTorch's torch.no_grad / enable_grad), per thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static bool _disabled;

    public static bool IsEnabled => !_disabled;

    /// <summary>Ops run inside this scope record nothing (sampling, evaluation, optimizer updates).</summary>
    public static Scope NoGrad() => new(enabled: false);

    /// <summary>Turns recording back on inside a no-grad region.</summary>
    public static Scope EnableGrad() => new(enabled: true);

    public readonly struct Scope : IDisposable
    {
        private readonly bool _previousDisabled;
        internal Scope(bool enabled)
        {
            _previousDisabled = _disabled;
            _disabled = !enabled;
        }
        public void Dispose() => _disabled = _previousDisabled;
    }
}
