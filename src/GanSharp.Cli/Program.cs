using System.CommandLine;
using GanSharp.Cli;
using GanSharp.Kernels;

var root = new RootCommand("GanSharp: train and evaluate Generative Adversarial Networks on the CPU.");
// Like torch.set_num_threads: fewer threads per run lets several small runs share a machine without contention.
var threads = new Option<int?>("--threads") { Description = "Threads the compute kernels may use (default: min(2, cores)).", Recursive = true };
threads.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int?>() is < 1) result.AddError("--threads must be at least 1.");
});
root.Options.Add(threads);
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(AverageCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(DataCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count == 0 && parse.GetValue(threads) is int count) ComputeThreads.Count = count;
return parse.Invoke();
