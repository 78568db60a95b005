using GanSharp.Tensors;

namespace GanSharp.Nn;

/// <summary>[N, C, H, W] -> [N, C*H*W] (a view), as PyTorch's nn.Flatten. Generators end with it: the trainer and data use flat rows.</summary>
public sealed class Flatten : Module
{
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2) throw new ArgumentException($"Flatten: input {input.Shape} has no batch dimension to keep.");
        return input.Flatten();
    }
}

/// <summary>[N, C*H*W] -> [N, C, H, W] (a view), as PyTorch's nn.Unflatten(1, (C, H, W)). Discriminators of images start with it.</summary>
public sealed class Unflatten : Module
{
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public Unflatten(int channels, int height, int width)
    {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"Unflatten needs positive sizes; got {channels}x{height}x{width}.");
        (Channels, Height, Width) = (channels, height, width);
    }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Shape[1] != Channels * Height * Width)
            throw new ArgumentException($"Unflatten({Channels}, {Height}, {Width}): input {input.Shape} is not [N, {Channels * Height * Width}].");
        return input.Reshape(input.Shape[0], Channels, Height, Width);
    }
}
