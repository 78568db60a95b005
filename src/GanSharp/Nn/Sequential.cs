using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>
/// Layers applied in order, named "0", "1", ... as in PyTorch. A Linear followed by a ReLU,
/// LeakyReLU, Sigmoid or Tanh runs as one fused GEMM (bias and activation in its epilogue); a
/// BatchNorm or a Conv2d followed by a ReLU or LeakyReLU (slope ≥ 0) rectifies as it writes its
/// output, and its backward applies the rectifier's step.
/// </summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    public Sequential(params Module[] layers)
    {
        _layers = layers;
        for (int i = 0; i < layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    public IReadOnlyList<Module> Layers => _layers;

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is Linear linear && i + 1 < _layers.Length && _layers[i + 1] is ActivationModule act)
            {
                x = linear.Forward(x, act.Kind, act.Slope);
                i++;
            }
            else if (_layers[i] is IFusesRectifier layer && i + 1 < _layers.Length && _layers[i + 1] is ActivationModule { IsRectifier: true } rectifier)
            {
                x = layer.Forward(x, rectifier.Kind, rectifier.Slope);
                i++;
            }
            else x = _layers[i].Forward(x);
        }
        return x;
    }
}
