using AIBrix.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AIBrix.Gateway.Tests.ExtProc;

/// <summary>grpc.health.v1 on the ext_proc port, over a real channel, as an InferencePool's probes call it.</summary>
public sealed class GrpcHealthTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("liveness")]
    [InlineData("readiness")]
    [InlineData("envoy.service.ext_proc.v3.ExternalProcessor")]
    [InlineData("envoy.service.auth.v3.Authorization")]
    public async Task Check_KnownServiceOfAReadyGateway_Serving(string service)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fleet.Gateway.GrpcPort}");
        var client = new Health.HealthClient(channel);

        var response = await client.CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound_WatchSaysServiceUnknown()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fleet.Gateway.GrpcPort}");
        var client = new Health.HealthClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));
        using var cts = new CancellationTokenSource();
        using var watch = client.Watch(new HealthCheckRequest { Service = "no.such.Service" }, cancellationToken: cts.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        var first = watch.ResponseStream.Current.Status;
        await cts.CancelAsync();

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, first);
    }

    [Fact]
    public async Task Watch_Readiness_FirstMessageIsTheCurrentStatus()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fleet.Gateway.GrpcPort}");
        var client = new Health.HealthClient(channel);
        using var cts = new CancellationTokenSource();

        using var watch = client.Watch(new HealthCheckRequest { Service = "readiness" }, cancellationToken: cts.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);
        await cts.CancelAsync();
    }
}
