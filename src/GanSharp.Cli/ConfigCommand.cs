using System.CommandLine;
using GanSharp.Gan;

namespace GanSharp.Cli;

/// <summary>`gansharp config show PRESET` prints a preset to copy and edit; `gansharp config list` names them.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("preset") { Description = "Preset name: " + string.Join(", ", Presets.Names) };
        var show = new Command("show", "Print a preset's JSON config.") { name };
        show.SetAction(parse =>
        {
            string preset = parse.GetValue(name)!;
            if (!Presets.Exists(preset))
            {
                Console.Error.WriteLine($"error: unknown preset '{preset}'; presets: {string.Join(", ", Presets.Names)}");
                return 2;
            }
            Console.Write(Presets.Json(preset));
            return 0;
        });
        var list = new Command("list", "List the presets.");
        list.SetAction(_ =>
        {
            foreach (var n in Presets.Names) Console.WriteLine(n);
            return 0;
        });
        return new Command("config", "Show the built-in configs.") { show, list };
    }
}
