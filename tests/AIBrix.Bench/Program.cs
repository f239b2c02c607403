using BenchmarkDotNet.Running;

namespace AIBrix.Bench;

/// <summary>Entry point: <c>aibrix-bench &lt;command&gt; [options]</c>; see docs/benchmarks.md.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("""
                usage: aibrix-bench <command> [options]
                  micro [BenchmarkDotNet args]   micro-benchmarks (parsing, routing, engine model)
                  extproc-load [options]         drive a running gateway's ext_proc over gRPC (see --help)
                  sim-load [options]             HTTP load against simulator instances
                  http-load [options]            OpenAI chat load over HTTP (gateway or engines), open or closed loop
                  limits-load [options]          limiter admissions and TPM overshoot against Redis
                  limits-recovery [options]      how soon limits are enforced again after Redis comes back
                  replay [options]               replay a Mooncake/Azure trace in virtual time or against a gateway
                  compare [options]              replay several policies and write a markdown report with plots
                """);
            return args.Length == 0 ? 2 : 0;
        }

        string[] rest = args[1..];
        switch (args[0])
        {
            case "micro":
                // In-process: BenchmarkDotNet's default toolchain looks for a project named after the
                // assembly (aibrix-bench), which is not this project's file name.
                if (!rest.Contains("--inProcess") && !rest.Contains("-i"))
                {
                    rest = [.. rest, "--inProcess"];
                }

                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
                return 0;
            case "extproc-load":
                return await ExtProc.ExtProcLoadCommand.RunAsync(rest);
            case "http-load":
                return await Http.HttpLoadCommand.RunAsync(rest);
            case "limits-load":
                return await Limits.LimitsLoadCommand.RunAsync(rest);
            case "limits-recovery":
                return await Limits.LimitsRecoveryCommand.RunAsync(rest);
            case "replay":
                return await Replay.ReplayCommand.RunAsync(rest);
            case "compare":
                return await Replay.CompareCommand.RunAsync(rest);
            case "sim-load":
                return await EngineSim.SimLoadCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"aibrix-bench: unknown command '{args[0]}'");
                return 2;
        }
    }
}
