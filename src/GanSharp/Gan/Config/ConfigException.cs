namespace GanSharp.Gan.Config;

/// <summary>A config error, raised before training starts; the message names the key path and what is allowed.</summary>
public sealed class ConfigException(string message) : Exception(message);
