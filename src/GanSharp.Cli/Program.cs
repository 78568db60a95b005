using System.CommandLine;
using GanSharp.Cli;

var root = new RootCommand("GanSharp: train and evaluate Generative Adversarial Networks on the CPU.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(DataCommand.Create());
return root.Parse(args).Invoke();
