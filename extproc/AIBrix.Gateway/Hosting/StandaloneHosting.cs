using System.Diagnostics;
using System.Net;
using AIBrix.Gateway.Standalone;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

namespace AIBrix.Gateway.Hosting;

/// <summary><c>standalone</c> mode: one HTTP port, the OpenAI API proxied by YARP's forwarder, the operator page.</summary>
internal static class StandaloneHosting
{
    public static IServiceCollection AddStandalone(this IServiceCollection services, GatewayCommandLine cli)
    {
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Listen(ExtProcHosting.ListenAddress(cli), cli.Port, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = null; // the pipeline enforces its own limit with a 413 in OpenAI's shape
        });
        services.AddHttpForwarder();
        services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        }));
        services.AddSingleton<StandaloneProxy>();
        return services;
    }
}
