using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Config;

namespace AIBrix.Gateway.Hosting;

/// <summary>The gateway's command line, parsed; <see cref="Errors"/> lists every problem at once.</summary>
internal sealed record GatewayCommandLine
{
    public const string ExtProcMode = "extproc";

    public const string StandaloneMode = "standalone";

    public const string Usage = """
        usage: aibrix-gateway extproc    --config FILE [--grpc-port 50052] [--http-port 8080] [--listen 0.0.0.0]
               aibrix-gateway standalone --config FILE [--port 8888] [--listen 127.0.0.1]
               aibrix-gateway extproc    --discovery kubernetes [--config FILE] [--namespaces a,b] [--kubeconfig FILE] [...]

          extproc       serve Envoy's ext_proc gRPC protocol (Envoy Gateway / endpoint-picker deployments)
          standalone    serve the OpenAI API directly and proxy to the engines (no Envoy; laptops, single nodes)

        options:
          --config FILE     YAML endpoints and routing config (reloaded when it changes); see docs/configuration.md.
                            With --discovery kubernetes: optional, everything but endpoints (redis, auth,
                            limits, routing, metrics), read once at start-up
          --grpc-port N     extproc: gRPC port for ext_proc (default 50052; 0 picks a free port)
          --http-port N     extproc: HTTP side port: /healthz /readyz /metrics /debug/* (default 8080; 0 picks a free port)
          --port N          standalone: the one HTTP port (default 8888; 0 picks a free port)
          --listen ADDR     address to bind (default 0.0.0.0 for extproc, 127.0.0.1 for standalone)
          --admin-token T   bearer token for the users/keys admin routes (side port, or the standalone port)
          --admin-insecure-loopback
                            development only: admin routes need no token from loopback clients
          --discovery MODE  extproc: static (endpoints from --config, default) or kubernetes (pods labelled
                            model.aibrix.ai/name and ModelAdapters; see docs/kubernetes.md)
          --namespaces A,B  namespaces to watch with --discovery kubernetes (default: all)
          --kubeconfig FILE kubeconfig for --discovery kubernetes (default: in-cluster, then KUBECONFIG)
          -h, --help        this text

        environment:
          ROUTING_ALGORITHM default routing strategy when the config sets none (AIBrix compatibility)
          AIBRIX_ADMIN_TOKEN admin token when --admin-token is not given
        """;

    public string Mode { get; init; } = "";

    public string? ConfigPath { get; init; }

    public int GrpcPort { get; init; } = GatewayDefaults.GrpcPort;

    public int HttpPort { get; init; } = GatewayDefaults.HttpPort;

    public int Port { get; init; } = GatewayDefaults.StandalonePort;

    public string Listen { get; init; } = "0.0.0.0";

    public bool Help { get; init; }

    public string? AdminToken { get; init; }

    public bool AdminInsecureLoopback { get; init; }

    /// <summary><c>static</c> or <c>kubernetes</c>.</summary>
    public string Discovery { get; init; } = "static";

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? Kubeconfig { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public static GatewayCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new GatewayCommandLine();
        if (args.Count == 0)
        {
            return result with { Errors = ["a mode is required (extproc or standalone)"] };
        }

        if (args[0] is "-h" or "--help")
        {
            return result with { Help = true };
        }

        var reader = new CommandLineReader(args, start: 1);
        var errors = reader.Errors;
        string mode = args[0];
        if (mode is not (ExtProcMode or StandaloneMode))
        {
            errors.Add($"unknown mode '{mode}' (expected extproc or standalone)");
        }

        // Standalone is the laptop mode: it binds loopback unless told otherwise.
        result = result with { Mode = mode, Listen = mode == StandaloneMode ? "127.0.0.1" : "0.0.0.0" };
        while (reader.MoveNext(out string arg))
        {
            switch (arg)
            {
                case "-h" or "--help":
                    result = result with { Help = true };
                    break;
                case "--config":
                    result = result with { ConfigPath = reader.Value(arg) };
                    break;
                case "--grpc-port":
                    result = result with { GrpcPort = reader.Port(arg) ?? result.GrpcPort };
                    break;
                case "--http-port":
                    result = result with { HttpPort = reader.Port(arg) ?? result.HttpPort };
                    break;
                case "--port":
                    result = result with { Port = reader.Port(arg) ?? result.Port };
                    break;
                case "--admin-token":
                    result = result with { AdminToken = reader.Value(arg) };
                    break;
                case "--admin-insecure-loopback":
                    result = result with { AdminInsecureLoopback = true };
                    break;
                case "--discovery":
                    result = result with { Discovery = reader.Value(arg) ?? result.Discovery };
                    break;
                case "--namespaces" or "--namespace":
                    result = result with { Namespaces = reader.List(arg) };
                    break;
                case "--kubeconfig":
                    result = result with { Kubeconfig = reader.Value(arg) };
                    break;
                case "--listen":
                    result = result with { Listen = reader.Value(arg) ?? result.Listen };
                    break;
                default:
                    reader.Unknown();
                    break;
            }
        }

        if (result.Discovery is not ("static" or "kubernetes"))
        {
            errors.Add($"--discovery: '{result.Discovery}' is not static or kubernetes");
        }
        else if (!result.Help && result.Mode is ExtProcMode or StandaloneMode && result.Discovery == "static" && string.IsNullOrWhiteSpace(result.ConfigPath))
        {
            errors.Add("--config FILE is required");
        }

        if (!System.Net.IPAddress.TryParse(result.Listen, out _) && result.Listen != "localhost")
        {
            errors.Add($"--listen: '{result.Listen}' is not an IP address");
        }

        if (result.Mode == ExtProcMode && result.GrpcPort != 0 && result.GrpcPort == result.HttpPort)
        {
            errors.Add($"--grpc-port and --http-port are both {result.GrpcPort}");
        }

        return result with { Errors = errors };
    }
}
