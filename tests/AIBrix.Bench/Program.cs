using System.CommandLine;
using AIBrix.Cli;
using BenchmarkDotNet.Running;

namespace AIBrix.Bench;

/// <summary>Entry point: <c>aibrix-bench &lt;command&gt; [options]</c>; <c>--help</c> on any command lists its options (see docs/benchmarks.md).</summary>
public static class Program
{
    /// <summary>The executable's name, which starts each error line.</summary>
    public const string Tool = "aibrix-bench";

    public static Task<int> Main(string[] args) => CliRunner.InvokeAsync(CreateCommand(), args, Tool);

    /// <summary>Every command, each with its options and action.</summary>
    public static RootCommand CreateCommand() => new("AIBrix benchmarks: micro-benchmarks, load generators and trace replay.")
    {
        MicroCommand(),
        ExtProc.ExtProcLoadCommand.CreateCommand(),
        EngineSim.SimLoadCommand.CreateCommand(),
        Http.HttpLoadCommand.CreateCommand(),
        Limits.LimitsLoadCommand.CreateCommand(),
        Limits.LimitsRecoveryCommand.CreateCommand(),
        Replay.ReplayCommand.CreateCommand(),
        Replay.CompareCommand.CreateCommand(),
        GpuOptimizer.ProfileCommand.CreateCommand(),
        GpuOptimizer.GpuPlanCommand.CreateCommand(),
        Autoscaling.AutoscaleCommand.CreateCommand(),
        Autoscaling.AutoscaleCompareCommand.CreateCommand(),
        Soak.SoakCommand.CreateCommand(),
        Downloads.DownloadBenchCommand.CreateCommand(),
    };

    private static Command MicroCommand()
    {
        var command = new Command("micro", "BenchmarkDotNet micro-benchmarks (parsing, routing, engine model); every other argument goes to BenchmarkDotNet, e.g. --filter '*RoutingBenchmarks*' --job short")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(result =>
        {
            string[] rest = [.. result.UnmatchedTokens];
            // In-process: BenchmarkDotNet's default toolchain looks for a project named after the
            // assembly (aibrix-bench), which is not this project's file name.
            if (!rest.Contains("--inProcess") && !rest.Contains("-i"))
            {
                rest = [.. rest, "--inProcess"];
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
            return 0;
        });
        return command;
    }
}
