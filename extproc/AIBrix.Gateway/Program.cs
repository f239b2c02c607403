using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway;

/// <summary><c>aibrix-gateway extproc|standalone --config FILE</c>; see <see cref="GatewayCommandLine.Usage"/>.</summary>
public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var cli = GatewayCommandLine.Parse(args);
        if (cli.Help)
        {
            Console.WriteLine(GatewayCommandLine.Usage);
            return 0;
        }

        if (cli.Errors.Count > 0)
        {
            foreach (var error in cli.Errors)
            {
                await Console.Error.WriteLineAsync($"aibrix-gateway: {error}");
            }

            await Console.Error.WriteLineAsync(GatewayCommandLine.Usage);
            return 2;
        }

        WebApplication app;
        try
        {
            app = GatewayHost.Build(cli);
        }
        catch (InvalidConfigException e)
        {
            await Console.Error.WriteLineAsync($"aibrix-gateway: {e.Message}");
            return 3;
        }

        await app.StartAsync();
        var (grpcPort, httpPort) = GatewayHost.BoundPorts(app);
        if (cli.Mode == GatewayCommandLine.StandaloneMode)
        {
            Log.StartedStandalone(app.Logger, cli.Listen, httpPort);
        }
        else
        {
            Log.Started(app.Logger, cli.Listen, grpcPort, httpPort);
        }
        await app.WaitForShutdownAsync();
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
