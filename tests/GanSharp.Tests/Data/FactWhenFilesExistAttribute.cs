namespace GanSharp.Tests.Data;

/// <summary>A fact that is skipped, saying which file is missing, when real data files are not on this machine.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenFilesExistAttribute : FactAttribute
{
    public FactWhenFilesExistAttribute(params string[] paths)
    {
        string? missing = paths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
            Skip = $"Real-data test skipped: {missing} is not on this machine.";
    }
}
