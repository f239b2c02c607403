using System.Diagnostics;
using System.Globalization;
using AIBrix.Controllers.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static AIBrix.Controllers.Tests.Infrastructure.FleetFixture;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>
/// A rolling update of a 16-cluster fleet with instant readiness (the KubeRay stand-in makes each cluster ready as soon
/// as it exists): reconciles, API requests and time to converge, for docs/benchmarks.md. Asserts the bounds held.
/// </summary>
public sealed class FleetRolloutBenchmark(ITestOutputHelper output)
{
    [Fact]
    public async Task RollingUpdate_16Clusters_InstantReadiness_ConvergesWithinTheBounds()
    {
        const int Replicas = 16;
        var log = new ErrorLog();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        await using var f = await FleetFixture.StartAsync(instant: true, loggers: loggers);
        f.Put(Fleet("llama", Replicas)); // default strategy: 25% surge (4), 25% unavailable (4)
        await Eventually.TrueAsync(() => f.Converged("llama", Replicas), "16 clusters available", seconds: 120);
        await Eventually.TrueAsync(() => f.Fleets.QueueDepth == 0 && f.Sets.QueueDepth == 0, "queues drained");
        await Task.Delay(200);
        var before = f.Api.Requests.ToDictionary(p => p.Key, p => p.Value);
        long fleetReconciles = f.Fleets.Reconciles, setReconciles = f.Sets.Reconciles;
        log.Errors.Clear();
        await using var sampler = new ClusterSampler(f.Clusters);

        var clock = Stopwatch.StartNew();
        f.SetImage("llama", "v2");
        await Eventually.TrueAsync(() => f.Converged("llama", Replicas) && f.Clusters().All(c => Image(c) == "v2"), "rolled out", seconds: 120);
        var converged = clock.Elapsed;

        var requests = f.Api.Requests.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));
        int kubeRay = requests.GetValueOrDefault("PATCH rayclusters/status"); // the stand-in's own writes
        int controllers = requests.Values.Sum() - kubeRay;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"16-cluster rolling update: converged in {converged.TotalMilliseconds:F0} ms; reconciles fleet {f.Fleets.Reconciles - fleetReconciles}, " +
            $"replica set {f.Sets.Reconciles - setReconciles}; failed reconciles {log.Errors.Count} ({Describe(log)}); controller API requests {controllers} " +
            $"({string.Join(", ", requests.Where(p => p.Value > 0 && p.Key != "PATCH rayclusters/status").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}); " +
            $"KubeRay stand-in status writes {kubeRay}; at most {sampler.MaxTotal} clusters, at least {sampler.MinReady} ready"));

        Assert.All(log.Errors, e => Assert.Equal(System.Net.HttpStatusCode.Conflict, Assert.IsType<k8s.Autorest.HttpOperationException>(e).Response.StatusCode));
        Assert.True(sampler.MaxTotal <= Replicas + 4, $"{sampler.MaxTotal} clusters at once");
        Assert.True(sampler.MinReady >= Replicas - 4, $"{sampler.MinReady} ready at once");
    }

    private static string Describe(ErrorLog log) =>
        string.Join(", ", log.Errors.GroupBy(e => e is k8s.Autorest.HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Request.Method} {h.Request.RequestUri.AbsolutePath.Split('/')[^2..].Aggregate((a, b) => a + "/" + b)}" : e.GetType().Name)
            .Select(g => $"{g.Count()}x {g.Key}"));
}
