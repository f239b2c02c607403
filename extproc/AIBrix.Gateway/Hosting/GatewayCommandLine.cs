using System.CommandLine;
using AIBrix.Cli;
using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Http;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// The gateway's command line (<c>aibrix-gateway extproc|standalone [options]</c>), parsed; <see cref="Errors"/>
/// lists every problem at once. <see cref="CreateCommand"/> is the System.CommandLine tree with its help text.
/// </summary>
internal sealed record GatewayCommandLine
{
    public const string Tool = "aibrix-gateway";

    public const string ExtProcMode = "extproc";

    public const string StandaloneMode = "standalone";

    public const string StaticDiscovery = "static";

    public const string KubernetesDiscovery = "kubernetes";

    /// <summary>Endpoints are the members of one GIE InferencePool (<see cref="Pool"/>): the gateway as that pool's endpoint picker.</summary>
    public const string InferencePoolDiscovery = "inferencepool";

    /// <summary>Where the pool is when neither --pool-namespace nor POD_NAMESPACE says.</summary>
    public const string DefaultPoolNamespace = "default";

    public string Mode { get; init; } = "";

    public string? ConfigPath { get; init; }

    public int GrpcPort { get; init; } = GatewayDefaults.GrpcPort;

    public int HttpPort { get; init; } = GatewayDefaults.HttpPort;

    public int Port { get; init; } = GatewayDefaults.StandalonePort;

    public string Listen { get; init; } = "0.0.0.0";

    public string? AdminToken { get; init; }

    public bool AdminInsecureLoopback { get; init; }

    /// <summary><c>static</c>, <c>kubernetes</c> or <c>inferencepool</c>.</summary>
    public string Discovery { get; init; } = StaticDiscovery;

    /// <summary>Whether endpoints come from the API server (no endpoints in the config file).</summary>
    public bool DiscoversEndpoints => Discovery != StaticDiscovery;

    /// <summary>The InferencePool's name, with <c>--discovery inferencepool</c>.</summary>
    public string? Pool { get; init; }

    /// <summary>The InferencePool's namespace.</summary>
    public string PoolNamespace { get; init; } = DefaultPoolNamespace;

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? Kubeconfig { get; init; }

    /// <summary>Whether the load monitor writes request traces to Redis (<c>--load-monitor</c>).</summary>
    public bool LoadMonitor { get; init; }

    /// <summary>Seconds per request-trace interval (<c>--load-monitor-interval</c>).</summary>
    public int LoadMonitorIntervalSeconds { get; init; } = 10;

    /// <summary>Shedding of sheddable requests when every endpoint is saturated (extproc mode; off unless objectives are named).</summary>
    public LoadShedding Shedding { get; init; } = new();

    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The command tree; <paramref name="run"/> gets the parsed command line once it is valid.</summary>
    public static RootCommand CreateCommand(Func<GatewayCommandLine, CancellationToken, Task<int>> run) => new GatewayCommand(run).Root;

    /// <summary>
    /// Parses without running anything. Every parse error ends up in <see cref="Errors"/>; problems between
    /// options are looked for once each option parsed.
    /// </summary>
    public static GatewayCommandLine Parse(IReadOnlyList<string> args)
    {
        var command = new GatewayCommand((_, _) => Task.FromResult(0));
        var result = command.Root.Parse(args);
        return result.Errors.Count > 0
            ? new GatewayCommandLine { Errors = [.. result.Errors.Select(e => e.Message)] }
            : command.Bind(result);
    }

    /// <summary>Problems between options (each option's own value is checked as it is parsed).</summary>
    private IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Discovery == StaticDiscovery && string.IsNullOrWhiteSpace(ConfigPath))
        {
            errors.Add("--config FILE is required");
        }

        if (Discovery == InferencePoolDiscovery && string.IsNullOrWhiteSpace(Pool))
        {
            errors.Add("--discovery inferencepool needs --pool NAME");
        }

        if (Discovery != InferencePoolDiscovery && Pool is not null)
        {
            errors.Add("--pool is only read with --discovery inferencepool");
        }

        if (Discovery == InferencePoolDiscovery && Namespaces.Count > 0)
        {
            errors.Add("--namespaces is not read with --discovery inferencepool (the pool's namespace is --pool-namespace)");
        }

        if (Shedding.KvCacheThreshold > 1)
        {
            errors.Add($"--saturation-kv-cache: {Shedding.KvCacheThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not in (0, 1]");
        }

        if (Mode == ExtProcMode && GrpcPort != 0 && GrpcPort == HttpPort)
        {
            errors.Add($"--grpc-port and --http-port are both {GrpcPort}");
        }

        return errors;
    }

    /// <summary>The options of one mode (each command owns its own option objects).</summary>
    private sealed class ModeOptions
    {
        public ModeOptions(string mode, string listenDefault)
        {
            Mode = mode;
            Listen = CliOptions.Address("--listen", listenDefault, "address to bind");
            if (mode == ExtProcMode)
            {
                GrpcPort = CliOptions.Port("--grpc-port", GatewayDefaults.GrpcPort, "gRPC port for ext_proc (and ext_authz); 0 picks a free port");
                SheddableObjectives = CliOptions.List("--sheddable-objectives",
                    "objectives (header x-gateway-inference-objective) whose requests get 429 when every endpoint of the model is saturated [default: none, no shedding]",
                    "NAME[,NAME]");
                SaturationQueueDepth = CliOptions.Int("--saturation-queue-depth", new LoadShedding().QueueDepthThreshold,
                    "waiting requests at which an endpoint counts as saturated", min: 1);
                SaturationKvCache = CliOptions.Double("--saturation-kv-cache", new LoadShedding().KvCacheThreshold,
                    "KV-cache usage (0-1] at which an endpoint counts as saturated", positive: true);
                HttpPort = CliOptions.Port("--http-port", GatewayDefaults.HttpPort, "HTTP side port: the operator page (/), /healthz /readyz /metrics /debug/* and the admin API; 0 picks a free port");
            }
            else
            {
                Port = CliOptions.Port("--port", GatewayDefaults.StandalonePort, "the one HTTP port: OpenAI API, operator page, /healthz /readyz /metrics, admin API; 0 picks a free port");
            }
        }

        public string Mode { get; }

        public Option<string?> Config { get; } = new("--config")
        {
            HelpName = "FILE",
            Description = "YAML endpoints and routing config, reloaded when it changes (see docs/configuration.md); "
                + "with --discovery kubernetes optional: everything but endpoints, read once at start-up. "
                + "$ROUTING_ALGORITHM is the default strategy when it sets none",
        };

        public Option<string> Listen { get; }

        public Option<int>? GrpcPort { get; }

        public Option<int>? HttpPort { get; }

        public Option<string[]>? SheddableObjectives { get; }

        public Option<int>? SaturationQueueDepth { get; }

        public Option<double>? SaturationKvCache { get; }

        public Option<int>? Port { get; }

        public Option<string?> AdminToken { get; } = new("--admin-token")
        {
            HelpName = "TOKEN",
            Description = $"bearer token for the users and keys admin API and the operator page's users view [default: ${AdminOptions.TokenEnv}]",
        };

        public Option<bool> AdminInsecureLoopback { get; } = new("--admin-insecure-loopback")
        {
            Description = "development only: admin routes need no token from loopback clients",
        };

        public Option<string> Discovery { get; } = CliOptions.Choice("--discovery", StaticDiscovery,
            "where endpoints come from: static (the --config file), kubernetes (pods labelled model.aibrix.ai/name and ModelAdapters) "
            + "or inferencepool (the pods of the GIE InferencePool --pool; see docs/kubernetes.md)",
            StaticDiscovery, KubernetesDiscovery, InferencePoolDiscovery);

        public Option<string?> Pool { get; } = new("--pool")
        {
            HelpName = "NAME",
            Description = "the InferencePool (inference.networking.k8s.io/v1) whose endpoint picker this gateway is, with --discovery inferencepool",
        };

        // No DefaultValueFactory: the default is read from the environment when binding, and the help says where it comes from.
        public Option<string?> PoolNamespace { get; } = new("--pool-namespace")
        {
            HelpName = "NS",
            Description = $"the InferencePool's namespace [default: $POD_NAMESPACE, else {DefaultPoolNamespace}]",
        };

        public Option<string[]> Namespaces { get; } = CliOptions.List("--namespaces", "namespaces to watch with --discovery kubernetes [default: all]", "NS[,NS]", "--namespace");

        public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
        {
            HelpName = "FILE",
            Description = "kubeconfig for --discovery kubernetes [default: in-cluster, then $KUBECONFIG]",
        };

        public Option<bool> LoadMonitor { get; } = new("--load-monitor")
        {
            Description = "record finished requests' token lengths and write them to the config's Redis every interval in AIBrix's request-trace format, for the GPU optimizer (docs/gpu-optimizer.md)",
        };

        public Option<int> LoadMonitorInterval { get; } = CliOptions.Int("--load-monitor-interval", 10, "seconds per request-trace interval", min: 1, max: 3600, helpName: "S");

        public Command CreateCommand(string description)
        {
            var command = new Command(Mode, description) { Config };
            foreach (var port in new[] { GrpcPort, HttpPort, Port })
            {
                if (port is not null)
                {
                    command.Add(port);
                }
            }

            foreach (var option in new Option?[] { SheddableObjectives, SaturationQueueDepth, SaturationKvCache })
            {
                if (option is not null)
                {
                    command.Add(option);
                }
            }

            command.Add(Listen);
            command.Add(AdminToken);
            command.Add(AdminInsecureLoopback);
            command.Add(Discovery);
            command.Add(Namespaces);
            command.Add(Pool);
            command.Add(PoolNamespace);
            command.Add(Kubeconfig);
            command.Add(LoadMonitor);
            command.Add(LoadMonitorInterval);
            return command;
        }

        public GatewayCommandLine Bind(ParseResult result)
        {
            var cli = new GatewayCommandLine
            {
                Mode = Mode,
                ConfigPath = result.GetValue(Config),
                GrpcPort = GrpcPort is null ? GatewayDefaults.GrpcPort : result.GetValue(GrpcPort),
                HttpPort = HttpPort is null ? GatewayDefaults.HttpPort : result.GetValue(HttpPort),
                Port = Port is null ? GatewayDefaults.StandalonePort : result.GetValue(Port),
                Listen = result.GetValue(Listen)!,
                AdminToken = result.GetValue(AdminToken),
                AdminInsecureLoopback = result.GetValue(AdminInsecureLoopback),
                Discovery = result.GetValue(Discovery)!,
                Namespaces = result.GetValue(Namespaces)!,
                Pool = result.GetValue(Pool),
                PoolNamespace = result.GetValue(PoolNamespace) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? DefaultPoolNamespace,
                Kubeconfig = result.GetValue(Kubeconfig),
                LoadMonitor = result.GetValue(LoadMonitor),
                LoadMonitorIntervalSeconds = result.GetValue(LoadMonitorInterval),
                Shedding = SheddableObjectives is null ? new LoadShedding() : new LoadShedding
                {
                    SheddableObjectives = result.GetValue(SheddableObjectives)!.ToHashSet(StringComparer.Ordinal),
                    QueueDepthThreshold = result.GetValue(SaturationQueueDepth!),
                    KvCacheThreshold = result.GetValue(SaturationKvCache!),
                },
            };
            return cli with { Errors = cli.Validate() };
        }
    }

    private sealed class GatewayCommand
    {
        private readonly Dictionary<Command, ModeOptions> _modes = [];

        public GatewayCommand(Func<GatewayCommandLine, CancellationToken, Task<int>> run)
        {
            Root = new RootCommand("AIBrix gateway: routes OpenAI-style requests to the best model-server pod and enforces per-user limits.");
            Add(new ModeOptions(ExtProcMode, "0.0.0.0"), "serve Envoy's ext_proc (and ext_authz) gRPC protocol: Envoy Gateway and endpoint-picker deployments");
            // Standalone is the laptop mode: it binds loopback unless told otherwise.
            Add(new ModeOptions(StandaloneMode, "127.0.0.1"), "serve the OpenAI API directly and proxy to the engines (no Envoy: laptops, single nodes)");
            foreach (var (command, _) in _modes)
            {
                command.SetAction(async (result, cancellationToken) =>
                {
                    var cli = Bind(result);
                    return cli.Errors.Count > 0 ? CliRunner.UsageError(result, Tool, cli.Errors) : await run(cli, cancellationToken);
                });
            }

            Root.SetAction(result => CliRunner.UsageError(result, Tool, Bind(result).Errors));
        }

        public RootCommand Root { get; }

        public GatewayCommandLine Bind(ParseResult result) =>
            _modes.TryGetValue(result.CommandResult.Command, out var mode)
                ? mode.Bind(result)
                : new GatewayCommandLine { Errors = [$"a mode is required ({ExtProcMode} or {StandaloneMode})"] };

        private void Add(ModeOptions mode, string description)
        {
            var command = mode.CreateCommand(description);
            _modes[command] = mode;
            Root.Add(command);
        }
    }
}
