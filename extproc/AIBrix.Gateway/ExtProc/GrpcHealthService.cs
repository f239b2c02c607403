using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Http;
using Grpc.Core;
using Grpc.Health.V1;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// <c>grpc.health.v1.Health</c> on the ext_proc port, as GIE's endpoint-picker protocol asks and InferencePool
/// deployments probe it: <c>liveness</c> (and the empty name) answer SERVING while the process answers;
/// <c>readiness</c>, <c>envoy.service.ext_proc.v3.ExternalProcessor</c> and <c>envoy.service.auth.v3.Authorization</c>
/// follow <see cref="GatewayReadiness"/>. Unknown names are NOT_FOUND (Check) or SERVICE_UNKNOWN (Watch), as the gRPC
/// health protocol says.
/// </summary>
internal sealed class GrpcHealthService(EndpointRegistry registry, IServiceProvider services, TimeProvider time) : Health.HealthBase
{
    /// <summary>The service names answered, and whether each follows readiness.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Services = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        [""] = false,
        ["liveness"] = false,
        ["readiness"] = true,
        [Core.GatewayDefaults.ExtProcServiceName] = true,
        ["envoy.service.auth.v3.Authorization"] = true,
    };

    /// <summary>How often Watch looks again for a change.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        Services.ContainsKey(request.Service)
            ? new HealthCheckResponse { Status = await StatusAsync(request.Service) }
            : throw new RpcException(new Status(StatusCode.NotFound, $"unknown service '{request.Service}'"));

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        HealthCheckResponse.Types.ServingStatus? sent = null;
        try
        {
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var status = await StatusAsync(request.Service);
                if (status != sent)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                    sent = status;
                }

                await Task.Delay(WatchInterval, time, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(string service)
    {
        if (!Services.TryGetValue(service, out bool followsReadiness))
        {
            return HealthCheckResponse.Types.ServingStatus.ServiceUnknown;
        }

        return !followsReadiness || await GatewayReadiness.IsReadyAsync(registry, services)
            ? HealthCheckResponse.Types.ServingStatus.Serving
            : HealthCheckResponse.Types.ServingStatus.NotServing;
    }
}
