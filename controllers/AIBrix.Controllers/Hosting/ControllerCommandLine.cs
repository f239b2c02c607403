using System.Globalization;

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
        var errors = new List<string>();
        var result = new ControllerCommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inline = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "-h" or "--help":
                    result = result with { Help = true };
                    break;
                case "--kubeconfig":
                    result = result with { Kubeconfig = Next(arg) };
                    break;
                case "--namespace" or "--namespaces":
                    result = result with { Namespaces = (Next(arg) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                case "--leader-elect":
                    result = result with { LeaderElect = inline is null || inline is "true" };
                    break;
                case "--leader-elect-namespace":
                    result = result with { LeaseNamespace = Next(arg) ?? result.LeaseNamespace };
                    break;
                case "--metrics-port":
                    result = result with { MetricsPort = Number(arg, Next(arg), 0, 65535) ?? result.MetricsPort };
                    break;
                case "--workers":
                    result = result with { Workers = Number(arg, Next(arg), 1, 256) ?? result.Workers };
                    break;
                default:
                    errors.Add($"unknown option '{args[i]}'");
                    break;
            }

            string? Next(string name)
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                errors.Add($"{name} needs a value");
                return null;
            }
        }

        if (result.Kubeconfig is { Length: > 0 } path && !File.Exists(path))
        {
            errors.Add($"--kubeconfig: '{path}' does not exist");
        }

        return result with { Errors = errors };

        int? Number(string name, string? value, int min, int max)
        {
            if (value is null)
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
            {
                return n;
            }

            errors.Add($"{name}: '{value}' must be a number from {min} to {max}");
            return null;
        }
    }
}
