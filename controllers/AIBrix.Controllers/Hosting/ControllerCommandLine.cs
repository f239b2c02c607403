using System.CommandLine;
using AIBrix.Cli;

namespace AIBrix.Controllers.Hosting;

/// <summary>
/// The controller manager's command line (<c>aibrix-controllers [options]</c>), parsed; <see cref="Errors"/> lists
/// every problem at once. <see cref="CreateCommand"/> is the System.CommandLine tree with its help text.
/// </summary>
internal sealed record ControllerCommandLine
{
    public const string Tool = "aibrix-controllers";

    /// <summary>Where the Lease lives when neither --leader-elect-namespace nor POD_NAMESPACE says.</summary>
    public const string DefaultLeaseNamespace = "aibrix-system";

    public string? Kubeconfig { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public bool LeaderElect { get; init; }

    public string LeaseNamespace { get; init; } = LeaseNamespaceFromEnvironment();

    public int MetricsPort { get; init; } = 8081;

    public int Workers { get; init; } = 4;

    /// <summary>Seconds between two reconciles of one PodAutoscaler (its scrape and decision interval).</summary>
    public int AutoscalerIntervalSeconds { get; init; } = 10;

    /// <summary>The Gateway the model router's HTTPRoutes attach to.</summary>
    public string RouterGatewayName { get; init; } = "aibrix-eg";

    /// <summary>That Gateway's namespace.</summary>
    public string RouterGatewayNamespace { get; init; } = DefaultLeaseNamespace;

    /// <summary>The GPU optimizer's Redis (<c>HOST:PORT</c>): profiles and request traces; required with <c>--controllers ...,gpuoptimizer</c>.</summary>
    public string? GpuOptimizerRedis { get; init; }

    /// <summary>Seconds between two GPU optimizer decisions.</summary>
    public int GpuOptimizerIntervalSeconds { get; init; } = 10;

    /// <summary>Seconds of request traces whose mean rate the GPU optimizer solves for.</summary>
    public int GpuOptimizerWindowSeconds { get; init; } = 60;

    /// <summary>Seconds between two polls of the AI runtimes' artifact inventories by the cold-start controller.</summary>
    public int ColdStartIntervalSeconds { get; init; } = 30;

    /// <summary>The controllers to run (<see cref="ControllerNames"/>); <see cref="ControllerNames.All"/> by default.</summary>
    public IReadOnlyList<string> Controllers { get; init; } = ControllerNames.All;

    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The pod's own namespace (the downward API's POD_NAMESPACE), else <see cref="DefaultLeaseNamespace"/>.</summary>
    public static string LeaseNamespaceFromEnvironment() => Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? DefaultLeaseNamespace;

    /// <summary>The command tree; <paramref name="run"/> gets the parsed command line.</summary>
    public static RootCommand CreateCommand(Func<ControllerCommandLine, CancellationToken, Task<int>> run) => new Symbols(run).Root;

    /// <summary>Parses without running anything; every problem ends up in <see cref="Errors"/>.</summary>
    public static ControllerCommandLine Parse(IReadOnlyList<string> args)
    {
        var symbols = new Symbols((_, _) => Task.FromResult(0));
        var result = symbols.Root.Parse(args);
        return result.Errors.Count > 0 ? new ControllerCommandLine { Errors = [.. result.Errors.Select(e => e.Message)] } : symbols.Bind(result);
    }

    private static bool IsHostPort(string v)
    {
        int colon = v.LastIndexOf(':');
        return colon > 0 && int.TryParse(v.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is > 0 and <= 65535 && !v[..colon].Any(char.IsWhiteSpace);
    }

    private static bool IsDnsLabel(string v) =>
        v.Length is > 0 and <= 63 && v.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && v[0] != '-' && v[^1] != '-';

    private sealed class Symbols
    {
        private static readonly ControllerCommandLine Defaults = new();

        private readonly Option<string?> _kubeconfig = new("--kubeconfig")
        {
            HelpName = "FILE",
            Description = "kubeconfig to use [default: in-cluster service account, then $KUBECONFIG, then ~/.kube/config]",
        };

        private readonly Option<string[]> _namespaces = CliOptions.List("--namespace", "namespaces to watch [default: all]", "NS[,NS]", "--namespaces");

        private readonly Option<bool> _leaderElect = new("--leader-elect")
        {
            Description = "run only while holding the Lease aibrix-controllers (use with replicas > 1)",
        };

        // No DefaultValueFactory: the default is read from the environment when binding, and the help says where it comes from.
        private readonly Option<string?> _leaseNamespace = new("--leader-elect-namespace")
        {
            HelpName = "NS",
            Description = $"namespace of the Lease [default: $POD_NAMESPACE, else {DefaultLeaseNamespace}]",
        };

        private readonly Option<int> _metricsPort = CliOptions.Port("--metrics-port", Defaults.MetricsPort, "HTTP port for /healthz /readyz /metrics; 0 picks a free port");

        private readonly Option<int> _workers = CliOptions.Int("--workers", Defaults.Workers, "parallel reconciles", min: 1, max: 256);

        private readonly Option<int> _autoscalerInterval = CliOptions.Int(
            "--autoscaler-interval", Defaults.AutoscalerIntervalSeconds, "seconds between two scrapes and decisions of each PodAutoscaler", min: 1, max: 600, helpName: "SECONDS");

        private readonly Option<string[]> _controllers = CliOptions.List(
            "--controllers", $"controllers to run: {string.Join(", ", ControllerNames.Known)} [default: {string.Join(",", ControllerNames.All)}]", "NAME[,NAME]");

        private readonly Option<string?> _gpuOptimizerRedis = new("--gpu-optimizer-redis")
        {
            HelpName = "HOST:PORT[,HOST:PORT...][,serviceName=NAME]",
            Description = $"Redis holding the GPU profiles and the gateway's request traces, in the gateway's redis: forms (one server, Cluster seeds, or sentinels with serviceName=); required with --controllers ...,{ControllerNames.GpuOptimizer}",
        };

        private readonly Option<int> _gpuOptimizerInterval = CliOptions.Int(
            "--gpu-optimizer-interval", Defaults.GpuOptimizerIntervalSeconds, "seconds between two GPU optimizer decisions", min: 1, max: 600, helpName: "SECONDS");

        private readonly Option<int> _gpuOptimizerWindow = CliOptions.Int(
            "--gpu-optimizer-window", Defaults.GpuOptimizerWindowSeconds, "seconds of request traces the GPU optimizer averages (at most the traces' 600 s lifetime)", min: 10, max: 600, helpName: "SECONDS");

        private readonly Option<int> _coldStartInterval = CliOptions.Int(
            "--coldstart-interval", Defaults.ColdStartIntervalSeconds, $"seconds between two polls of the runtimes' /v1/artifacts (with --controllers ...,{ControllerNames.ColdStart})", min: 1, max: 3600, helpName: "SECONDS");

        private readonly Option<string> _routerGateway = new("--router-gateway")
        {
            HelpName = "NAME",
            Description = "the Gateway the model router's HTTPRoutes attach to",
            DefaultValueFactory = _ => Defaults.RouterGatewayName,
        };

        private readonly Option<string> _routerGatewayNamespace = new("--router-gateway-namespace")
        {
            HelpName = "NS",
            Description = "that Gateway's namespace",
            DefaultValueFactory = _ => Defaults.RouterGatewayNamespace,
        };

        public Symbols(Func<ControllerCommandLine, CancellationToken, Task<int>> run)
        {
            _controllers.Validators.Add(r =>
            {
                foreach (string name in r.GetValueOrDefault<string[]>() ?? [])
                {
                    if (!ControllerNames.Known.Contains(name))
                    {
                        r.AddError($"--controllers: '{name}' is not one of {string.Join(", ", ControllerNames.Known)}");
                    }
                }
            });
            foreach (var option in new[] { _routerGateway, _routerGatewayNamespace })
            {
                option.Validators.Add(r =>
                {
                    if (r.GetValueOrDefault<string>() is not { } v || !IsDnsLabel(v))
                    {
                        r.AddError($"{option.Name}: '{r.GetValueOrDefault<string>()}' is not a valid object name (lowercase letters, digits and '-', at most 63)");
                    }
                });
            }

            _gpuOptimizerRedis.Validators.Add(r =>
            {
                if (r.Tokens.Count > 0)
                {
                    foreach (string error in AIBrix.Redis.RedisConnector.Validate(r.Tokens[0].Value, "--gpu-optimizer-redis"))
                    {
                        r.AddError(error);
                    }
                }
            });
            _kubeconfig.Validators.Add(r =>
            {
                if (r.Tokens.Count > 0 && r.Tokens[0].Value is { Length: > 0 } path && !File.Exists(path))
                {
                    r.AddError($"--kubeconfig: '{path}' does not exist");
                }
            });
            Root = new RootCommand("AIBrix controller manager: the ModelAdapter (LoRA adapters on model pods), PodAutoscaler and other controllers, with leader election.")
            {
                _kubeconfig, _namespaces, _leaderElect, _leaseNamespace, _metricsPort, _workers, _autoscalerInterval, _controllers, _routerGateway, _routerGatewayNamespace,
                _gpuOptimizerRedis, _gpuOptimizerInterval, _gpuOptimizerWindow, _coldStartInterval,
            };
            Root.Validators.Add(r =>
            {
                if ((r.GetValue(_controllers) ?? []).Contains(ControllerNames.GpuOptimizer) && string.IsNullOrEmpty(r.GetValue(_gpuOptimizerRedis)))
                {
                    r.AddError($"--controllers {ControllerNames.GpuOptimizer} needs --gpu-optimizer-redis HOST:PORT (where the profiles and request traces are)");
                }
            });
            Root.SetAction((result, cancellationToken) => run(Bind(result), cancellationToken));
        }

        public RootCommand Root { get; }

        public ControllerCommandLine Bind(ParseResult result) => new()
        {
            Kubeconfig = result.GetValue(_kubeconfig),
            Namespaces = result.GetValue(_namespaces)!,
            LeaderElect = result.GetValue(_leaderElect),
            LeaseNamespace = result.GetValue(_leaseNamespace) ?? LeaseNamespaceFromEnvironment(),
            MetricsPort = result.GetValue(_metricsPort),
            Workers = result.GetValue(_workers),
            AutoscalerIntervalSeconds = result.GetValue(_autoscalerInterval),
            RouterGatewayName = result.GetValue(_routerGateway)!,
            RouterGatewayNamespace = result.GetValue(_routerGatewayNamespace)!,
            GpuOptimizerRedis = result.GetValue(_gpuOptimizerRedis),
            GpuOptimizerIntervalSeconds = result.GetValue(_gpuOptimizerInterval),
            GpuOptimizerWindowSeconds = result.GetValue(_gpuOptimizerWindow),
            ColdStartIntervalSeconds = result.GetValue(_coldStartInterval),
            Controllers = result.GetValue(_controllers) is { Length: > 0 } names ? [.. names.Distinct(StringComparer.Ordinal)] : ControllerNames.All,
        };
    }
}
