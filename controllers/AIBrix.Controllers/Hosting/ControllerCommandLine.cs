using AIBrix.Gateway.Core.Config;

namespace AIBrix.Controllers.Hosting;

/// <summary>The controller manager's command line; <see cref="Errors"/> lists every problem at once.</summary>
internal sealed record ControllerCommandLine
{
    public const string Usage = """
        usage: aibrix-controllers [--kubeconfig FILE] [--namespace NS[,NS]] [--leader-elect] [--metrics-port 8081]

        options:
          --kubeconfig FILE        kubeconfig to use (default: in-cluster service account, then KUBECONFIG, then ~/.kube/config)
          --namespace NS[,NS]      namespaces to watch (default: all)
          --leader-elect           run only while holding the Lease aibrix-system/aibrix-controllers (use with replicas > 1)
          --leader-elect-namespace NS  namespace of the Lease (default: POD_NAMESPACE or aibrix-system)
          --metrics-port N         HTTP port for /healthz /readyz /metrics (default 8081; 0 picks a free port)
          --workers N              parallel reconciles (default 4)
          -h, --help               this text
        """;

    public string? Kubeconfig { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public bool LeaderElect { get; init; }

    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "aibrix-system";

    public int MetricsPort { get; init; } = 8081;

    public int Workers { get; init; } = 4;

    public bool Help { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public static ControllerCommandLine Parse(IReadOnlyList<string> args)
    {
        var reader = new CommandLineReader(args);
        var result = new ControllerCommandLine();
        while (reader.MoveNext(out string arg))
        {
            switch (arg)
            {
                case "-h" or "--help":
                    result = result with { Help = true };
                    break;
                case "--kubeconfig":
                    result = result with { Kubeconfig = reader.Value(arg) };
                    break;
                case "--namespace" or "--namespaces":
                    result = result with { Namespaces = reader.List(arg) };
                    break;
                case "--leader-elect":
                    result = result with { LeaderElect = reader.InlineValue is null or "true" };
                    break;
                case "--leader-elect-namespace":
                    result = result with { LeaseNamespace = reader.Value(arg) ?? result.LeaseNamespace };
                    break;
                case "--metrics-port":
                    result = result with { MetricsPort = reader.Number(arg, 0, 65535) ?? result.MetricsPort };
                    break;
                case "--workers":
                    result = result with { Workers = reader.Number(arg, 1, 256) ?? result.Workers };
                    break;
                default:
                    reader.Unknown();
                    break;
            }
        }

        if (result.Kubeconfig is { Length: > 0 } path && !File.Exists(path))
        {
            reader.Errors.Add($"--kubeconfig: '{path}' does not exist");
        }

        return result with { Errors = reader.Errors };
    }
}
