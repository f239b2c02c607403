using System.Globalization;
using System.Text.Json.Nodes;
using AIBrix.EngineSim;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.Tests.Infrastructure;
using AIBrix.Kubernetes.Testing;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary>
/// The real gateway as an InferencePool's endpoint picker: the fake API server holds the pool and its pods, simulated
/// engines serve; readiness (gRPC health) waits for the pool to be synced, and a request with a subset hint is routed
/// with no strategy configured.
/// </summary>
public sealed class InferencePoolHostTests
{
    [Fact]
    public async Task PoolPicker_NotReadyUntilThePoolSyncs_ThenPicksInsideTheHint()
    {
        await using var api = await FakeApiServer.StartAsync();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, TimeScale = 1000 });
        for (int i = 0; i < 2; i++)
        {
            var pod = Objects.Pod($"vllm-{i}", sim.Options.Model, sim.Instances[i].Port, ip: "127.0.0.1");
            pod["metadata"]!["labels"]!["app"] = "vllm";
            api.Put(Objects.CoreV1, "pods", "llm", pod);
        }

        // The pods' ports differ, so each gets a pool of one: the pool's targetPorts is the one port of its members.
        int port = sim.Instances[1].Port;
        api.Put("apis/inference.networking.k8s.io/v1", "inferencepools", "llm", new JsonObject
        {
            ["apiVersion"] = "inference.networking.k8s.io/v1",
            ["kind"] = "InferencePool",
            ["metadata"] = new JsonObject { ["name"] = "pool" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "vllm" } },
                ["targetPorts"] = new JsonArray(new JsonObject { ["number"] = port }),
                ["endpointPickerRef"] = new JsonObject { ["name"] = "aibrix-gateway-plugins", ["port"] = new JsonObject { ["number"] = 50052 } },
            },
        });
        api.FailNext("GET", "inferencepools", 500, times: 1_000_000); // the pool can't be listed yet

        string kubeconfig = Path.Combine(Path.GetTempPath(), $"aibrix-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster: { server: "{{api.BaseAddress.ToString().TrimEnd('/')}}" }
            users:
            - name: nobody
              user: { token: "t" }
            contexts:
            - name: fake
              context: { cluster: fake, user: nobody }
            current-context: fake
            """);
        try
        {
            var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "inferencepool", "--pool", "pool", "--pool-namespace", "llm", "--kubeconfig", kubeconfig,
                "--grpc-port", "0", "--http-port", "0", "--listen", "127.0.0.1"]);
            Assert.Empty(cli.Errors);
            await using var app = GatewayHost.Build(cli);
            await app.StartAsync();
            var (grpcPort, _) = GatewayHost.BoundPorts(app);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var health = new Health.HealthClient(channel);

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "readiness" })).Status);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status);

            api.FailNext("GET", "inferencepools", 500, times: 0);
            await Eventually.TrueAsync(
                () => health.Check(new HealthCheckRequest { Service = "readiness" }).Status == HealthCheckResponse.Types.ServingStatus.Serving, "pool synced and scraped");

            var hint = new Struct();
            hint.Fields["x-gateway-destination-endpoint-subset"] = Value.ForList(Value.ForString($"127.0.0.1:{port}"));
            var metadata = new Metadata();
            metadata.FilterMetadata["envoy.lb.subset_hint"] = hint;
            using var envoy = new EnvoyEmulator(grpcPort);
            var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(model: sim.Options.Model), EnvoyBodyMode.FullDuplexStreamed, metadata: metadata);

            Assert.Null(exchange.Immediate);
            Assert.Equal($"127.0.0.1:{port}", exchange.TargetPod);
            Assert.Equal("least-request", exchange.RequestHeaderMutations["routing-strategy"]);
            Assert.Equal(200, exchange.UpstreamStatus);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
