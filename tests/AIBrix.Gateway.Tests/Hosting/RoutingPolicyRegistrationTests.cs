using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary>A policy added through dependency injection routes like a built-in one, with no list edited.</summary>
public class RoutingPolicyRegistrationTests
{
    private const string Model = "m";

    /// <summary>Always the endpoint named <c>pod-1</c>: easy to tell from any built-in policy's choice.</summary>
    private sealed class SecondPodPolicy : IRoutingPolicy
    {
        public string Name => "second-pod";

        public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
        {
            foreach (var endpoint in candidates)
            {
                if (endpoint.Name == "pod-1")
                {
                    request.Reason = "the test's policy";
                    return endpoint;
                }
            }

            return candidates[0];
        }
    }

    /// <summary>Claims a built-in name.</summary>
    private sealed class ImpostorPolicy : IRoutingPolicy
    {
        public string Name => RoutingPolicies.Random;

        public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates) => candidates[0];
    }

    [Fact]
    public async Task AddRoutingPolicy_ClientNamesIt_EveryRequestRoutedByIt()
    {
        var upstreams = new List<RecordingUpstream>();
        for (int i = 0; i < 3; i++)
        {
            upstreams.Add(await RecordingUpstream.StartAsync(Model));
        }

        try
        {
            await using var gateway = await GatewayTestHost.StartAsync(
                GatewayTestHost.ConfigFor(upstreams.Select(u => u.Address), Model),
                configureServices: s => s.AddRoutingPolicy<SecondPodPolicy>());
            using var envoy = gateway.Envoy();

            for (int i = 0; i < 5; i++)
            {
                var exchange = await envoy.SendAsync("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}]}""", headers: [new("routing-strategy", "second-pod")]);

                Assert.Null(exchange.Immediate);
                Assert.Equal(upstreams[1].Address, exchange.TargetPod);
                Assert.Equal("second-pod", exchange.ResponseHeaderMutations["routing-strategy"]);
            }
        }
        finally
        {
            foreach (var upstream in upstreams)
            {
                await upstream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AddRoutingPolicy_NameTaken_FailsAtStart()
    {
        await using var upstream = await RecordingUpstream.StartAsync(Model);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => GatewayTestHost.StartAsync(
            GatewayTestHost.ConfigFor([upstream.Address], Model),
            configureServices: s => s.AddRoutingPolicy<ImpostorPolicy>()));

        Assert.Contains("two routing policies are named 'random'", e.Message, StringComparison.Ordinal);
    }
}
