using System.Text.Json.Nodes;
using AIBrix.Controllers.GpuOptimizer;
using AIBrix.Controllers.Hosting;
using AIBrix.Gateway.Redis.Tests;
using AIBrix.GpuOptimizer;
using AIBrix.GpuOptimizer.Redis;
using AIBrix.Kubernetes.Crds;
using AIBrix.RequestTraces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AIBrix.Controllers.Tests.GpuOptimizer;

/// <summary>
/// A real redis-server with two GPU profiles of model <c>llama</c> on a two-bucket grid, and helpers to seed model
/// Deployments and request traces, and to start the controller manager with <c>--controllers gpuoptimizer</c>.
/// The profiles are hand-solvable: <c>llama-a10</c> (cost 1) serves short prompts at 10 req/s and cannot serve long
/// ones; <c>llama-l20</c> (cost 2) serves both at 10 req/s.
/// </summary>
internal sealed class GpuOptimizerFixture : IAsyncDisposable
{
    public const string Apps = "apis/apps/v1";
    public static readonly BucketGrid Grid = new([128], [256, 4096]);

    private readonly IAsyncDisposable _redisProcesses;

    private GpuOptimizerFixture(IAsyncDisposable processes, string address, ConnectionMultiplexer redis)
    {
        _redisProcesses = processes;
        Address = address;
        Redis = redis;
    }

    /// <summary>The Redis address the manager is given (<c>--gpu-optimizer-redis</c>): one server, or the cluster's seeds.</summary>
    public string Address { get; }

    public ConnectionMultiplexer Redis { get; }

    public static async Task<GpuOptimizerFixture> StartAsync()
    {
        var server = await RedisServer.StartAsync();
        return new GpuOptimizerFixture(server, server.HostPort, await ConnectionMultiplexer.ConnectAsync(server.HostPort));
    }

    /// <summary>The same over a real three-primary Redis Cluster (profiles and trace keys land in different slots and nodes).</summary>
    public static async Task<GpuOptimizerFixture> StartClusterAsync()
    {
        var cluster = await RedisCluster.StartAsync(3);
        return new GpuOptimizerFixture(cluster, cluster.Address, GpuOptimizerServiceCollectionExtensions.Connect(cluster.Address));
    }

    public static GpuProfile Profile(string deployment, double cost, double shortRate, double longRate) => new()
    {
        Gpu = deployment,
        Cost = cost,
        Grid = Grid,
        Tputs = BucketMatrix.FromRows([[shortRate, longRate]]),
    };

    public Task SaveProfilesAsync(string model = "llama") => Task.WhenAll(
        new RedisProfileStore(Redis).SaveAsync(model, Profile($"{model}-a10", 1, 10, 0)),
        new RedisProfileStore(Redis).SaveAsync(model, Profile($"{model}-l20", 2, 10, 10)));

    /// <summary>
    /// Every 10-s trace key from 2 minutes ago to 1 minute ahead holds 60 short and 50 long requests, so any 60-s window
    /// (6 or 7 keys) reads 6-7 short and 5-5.8 long req/s: together more than one L20 serves, each at most one replica's
    /// worth. The optimum is then exactly one L20 (the long prompts) and one A10 (the rest of the short ones): cost 3.
    /// </summary>
    public async Task WriteTracesAsync(string model = "llama")
    {
        var store = new RedisRequestTraceStore(Redis);
        var trace = new RequestTrace(
            new Dictionary<(int, int), int> { [RequestTrace.BucketOf(256, 128)] = 60, [RequestTrace.BucketOf(4096, 128)] = 50 },
            IntervalSeconds: 10, Precision: RequestTrace.DefaultPrecision, TotalRequests: 110, PendingRequests: 0);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10 * 10;
        for (long ts = now - 120; ts <= now + 60; ts += 10)
        {
            await store.WriteAsync(model, DateTimeOffset.FromUnixTimeSeconds(ts), trace);
        }
    }

    /// <summary>A Deployment of <paramref name="model"/> (label <c>model.aibrix.ai/name</c>), selecting <c>app=name</c>.</summary>
    public static JsonObject Deployment(string name, string model, int replicas, int? minReplicas = null)
    {
        var labels = new JsonObject { [ModelLabels.Name] = model };
        if (minReplicas is { } min)
        {
            labels[GpuOptimizerController.MinReplicasLabel] = min.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } } },
            },
            ["status"] = new JsonObject { ["replicas"] = replicas },
        };
    }

    /// <summary>Starts the manager with only the GPU optimizer, deciding every second; returns it and its base address.</summary>
    public async Task<(WebApplication App, Uri Address)> StartManagerAsync(FakeApiServer api, params string[] extra)
    {
        string[] args = ["--namespace", "default", "--metrics-port", "0", "--controllers", ControllerNames.GpuOptimizer,
            "--gpu-optimizer-redis", Address, "--gpu-optimizer-interval", "1", .. extra];
        var cli = ControllerCommandLine.Parse(args);
        Assert.Empty(cli.Errors);
        var app = ControllerManager.Build(cli, api.CreateClient());
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return (app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await _redisProcesses.DisposeAsync();
    }
}
