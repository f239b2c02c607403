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
                """);
            return args.Length == 0 ? 2 : 0;
        }

        string[] rest = args[1..];
        switch (args[0])
        {
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
                return 0;
            case "sim-load": return await EngineSim.SimLoadCommand.RunAsync(rest);
            default:
                await Console.Error.WriteLineAsync($"aibrix-bench: unknown command '{args[0]}'");
                return 2;
        }
    }
}
