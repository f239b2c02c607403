using AIBrix.Cli;
using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway;

/// <summary><c>aibrix-gateway extproc|standalone [options]</c>; <c>--help</c> lists the options (see <see cref="GatewayCommandLine"/>).</summary>
public static partial class Program
{
    public static Task<int> Main(string[] args) =>
        CliRunner.InvokeAsync(GatewayCommandLine.CreateCommand(RunAsync), args, GatewayCommandLine.Tool);

    private static async Task<int> RunAsync(GatewayCommandLine cli, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = GatewayHost.Build(cli);
        }
        catch (InvalidConfigException e)
        {
            await Console.Error.WriteLineAsync($"{GatewayCommandLine.Tool}: {e.Message}");
            return 3;
        }
        catch (UnusableStartupException e)
        {
            await Console.Error.WriteLineAsync($"{GatewayCommandLine.Tool}: {e.Message}");
            return 2;
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Kestrel could not bind (the port is taken, the address is not this host's): a setting, not a crash.
            await Console.Error.WriteLineAsync($"{GatewayCommandLine.Tool}: {e.Message.ReplaceLineEndings(" ")}");
            await app.DisposeAsync();
            return 2;
        }

        var (grpcPort, httpPort) = GatewayHost.BoundPorts(app);
        if (cli.Mode == GatewayCommandLine.StandaloneMode)
        {
            Log.StartedStandalone(app.Logger, cli.Listen, httpPort);
        }
        else
        {
            Log.Started(app.Logger, cli.Listen, grpcPort, httpPort);
        }
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "aibrix-gateway extproc: gRPC ext_proc on {Listen}:{GrpcPort}, HTTP side port on {Listen}:{HttpPort}")]
        public static partial void Started(ILogger logger, string listen, int grpcPort, int httpPort);

        [LoggerMessage(2, LogLevel.Information, "aibrix-gateway standalone: OpenAI API and operator page on http://{Listen}:{Port}/")]
        public static partial void StartedStandalone(ILogger logger, string listen, int port);
    }
}
