using System.Net;
using AIBrix.Gateway.ExtProc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// <c>extproc</c> mode: Envoy's ext_proc (and ext_authz) over gRPC on one port, the HTTP side port
/// (health, metrics, admin) on another.
/// </summary>
internal static class ExtProcHosting
{
    public static IServiceCollection AddExtProc(this IServiceCollection services, GatewayCommandLine cli)
    {
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            var address = ListenAddress(cli);
            // Envoy speaks HTTP/2 without TLS (h2c) to ext_proc; an HTTP/2-only listener allows it.
            kestrel.Listen(address, cli.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, cli.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
        });
        // GIE's saturation detector: which requests may be shed when every endpoint is saturated (ext_proc only).
        services.AddSingleton(cli.Shedding);
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024 * 1024; // Envoy buffers whole bodies into one message
            o.EnableDetailedErrors = false;
        });
        return services;
    }

    /// <summary>ext_authz on the same gRPC port; it checks keys with the limits' <c>RequestLimiter</c> (<see cref="LimitsSetup.AddGatewayLimits"/>).</summary>
    public static IServiceCollection AddExtAuthz(this IServiceCollection services)
    {
        services.AddGrpc();
        return services;
    }

    /// <summary>ext_proc and the gRPC health service (grpc.health.v1) that GIE's pool probes use, on the same port.</summary>
    public static void MapExtProc(this WebApplication app)
    {
        app.MapGrpcService<ExtProcService>();
        app.MapGrpcService<GrpcHealthService>();
    }

    public static void MapExtAuthz(this WebApplication app) => app.MapGrpcService<ExtAuthzService>();

    internal static IPAddress ListenAddress(GatewayCommandLine cli) =>
        cli.Listen == "localhost" ? IPAddress.Loopback : IPAddress.Parse(cli.Listen);
}
