using AIBrix.Gateway.Http;

namespace AIBrix.Gateway.Hosting;

/// <summary>The users and keys admin API on the side port, guarded by a token (or loopback only).</summary>
internal static class AdminHosting
{
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services, GatewayCommandLine cli) =>
        services.AddSingleton(new AdminOptions(
            cli.AdminToken ?? Environment.GetEnvironmentVariable(AdminOptions.TokenEnv),
            cli.AdminInsecureLoopback));
}
