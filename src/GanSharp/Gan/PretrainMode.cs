namespace GanSharp.Gan;

/// <summary>How the discriminator is pre-trained before the game starts.</summary>
public enum PretrainMode
{
    /// <summary>Regress D(x) = sigmoid(logit) onto p_data(x) on a uniform grid of x (the 1-D toy study; needs a known density).</summary>
    Density,
    /// <summary>Train D to tell real data from the initial generator's samples (G fixed).</summary>
    Classify,
}
