using System.Text.Json.Nodes;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Hosting;
using AIBrix.Kubernetes.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary>The real gateway host with <c>--discovery kubernetes</c>, a kubeconfig pointing at the fake API server, and simulated engines.</summary>
public sealed class KubernetesDiscoveryHostTests
{
    [Fact]
    public async Task Discovery_GatewayWithKubeconfig_RoutesToDiscoveredPodsAndAdapters()
    {
        await using var api = await FakeApiServer.StartAsync();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, TimeScale = 1000 });
        for (int i = 0; i < 2; i++)
        {
            api.Put("api/v1", "pods", "llm", new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"pod-{i}",
                    ["labels"] = new JsonObject { ["model.aibrix.ai/name"] = sim.Options.Model, ["model.aibrix.ai/port"] = sim.Instances[i].Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running", ["podIP"] = "127.0.0.1",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                },
            });
        }

        api.Put("apis/model.aibrix.ai/v1alpha1", "modeladapters", "llm", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "lora-sql" },
            ["spec"] = new JsonObject { ["baseModel"] = sim.Options.Model, ["artifactURL"] = "hf://org/sql" },
            ["status"] = new JsonObject { ["phase"] = "Running", ["instances"] = new JsonArray("pod-1") },
        });
        api.Put("api/v1", "pods", "elsewhere", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "ignored", ["labels"] = new JsonObject { ["model.aibrix.ai/name"] = "other" } },
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.2", ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
        });

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
        // Settings other than endpoints come from an optional config file, as in the chart's ConfigMap.
        string config = Path.Combine(Path.GetTempPath(), $"aibrix-k8s-gw-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, "auth: {mode: apikey}\nlimits: {defaultMaxTokens: 77}\n");
        try
        {
            var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "kubernetes", "--namespaces", "llm", "--kubeconfig", kubeconfig,
                "--config", config, "--grpc-port", "0", "--http-port", "0", "--listen", "127.0.0.1"]);
            Assert.Empty(cli.Errors);
            await using var app = GatewayHost.Build(cli);
            await app.StartAsync();
            var registry = app.Services.GetRequiredService<EndpointRegistry>();

            var deadline = DateTime.UtcNow.AddSeconds(20);
            // Pods and ModelAdapters come from two watches: wait for both to be published, not only the pods.
            while (!(registry.Current.All.Length == 2 && registry.Current.All.All(e => e.IsReady) && registry.Current.ReadyFor("lora-sql").Length == 1)
                && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Equal(["llm/pod-0", "llm/pod-1"], registry.Current.All.Select(e => e.Spec.Name).Order());
            Assert.All(registry.Current.All, e => Assert.True(e.IsReady)); // scraped over real HTTP from the simulators
            Assert.Equal(["lora-sql"], registry.Current.ByName["llm/pod-1"].Spec.Adapters);
            Assert.Equal("llm/pod-1", Assert.Single(registry.Current.ReadyFor("lora-sql").ToArray()).Spec.Name);
            var limiter = app.Services.GetRequiredService<AIBrix.Gateway.Core.Limits.RequestLimiter>();
            Assert.Equal(AIBrix.Gateway.Core.Limits.AuthMode.ApiKey, limiter.Auth.Mode);
            await app.StopAsync();
        }
        finally
        {
            File.Delete(config);
            File.Delete(kubeconfig);
        }
    }
}
