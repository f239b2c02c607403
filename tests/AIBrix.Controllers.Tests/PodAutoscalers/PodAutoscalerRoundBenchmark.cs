using System.Diagnostics;
using System.Globalization;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using Xunit.Abstractions;
using static AIBrix.Controllers.Tests.Infrastructure.AutoscalerFixture;

namespace AIBrix.Controllers.Tests.PodAutoscalers;

/// <summary>
/// Reconcile rounds of many PodAutoscalers with 8 pods each through the whole controller path (informer caches,
/// scale subresource over HTTP, one real HTTP scrape per pod, parse, decide, status). Small by default (a test that
/// every round scrapes every pod exactly once); <c>AIBRIX_K8S_BENCH=1</c> runs 1,000 PodAutoscalers × 8 pods.
/// </summary>
public sealed class PodAutoscalerRoundBenchmark(ITestOutputHelper output)
{
    private const int PodsEach = 8;

    /// <summary>
    /// <c>pod</c>: 8 scrapes per PodAutoscaler; <c>external</c>: the same page once per PodAutoscaler, which leaves the
    /// per-PodAutoscaler cost (scale read, decision, informer lookups) and so splits a round's CPU into both parts.
    /// </summary>
    [Theory]
    [InlineData("pod")]
    [InlineData("external")]
    public async Task ManyAutoscalers_EachRoundScrapesEveryReadyPodOnce(string source)
    {
        bool full = Environment.GetEnvironmentVariable("AIBRIX_K8S_BENCH") == "1";
        int autoscalers = full ? 1000 : 20, rounds = full ? 5 : 2;
        await using var engines = await MetricPods.StartAsync(PodsEach);
        for (int i = 0; i < PodsEach; i++)
        {
            engines[i].Waiting = 4; // 32 over 8 pods, target 5: 7 wanted, 8 held (KPA starts in panic): no scale writes
        }

        await using var f = await StartAsync(api =>
        {
            for (int a = 0; a < autoscalers; a++)
            {
                string name = $"m{a:D4}";
                api.Put(Apps, "deployments", "default", Deployment(name, PodsEach));
                for (int p = 0; p < PodsEach; p++)
                {
                    api.Put(Objects.CoreV1, "pods", "default", Pod($"{name}-{p}", name, engines.Ports[p]));
                }

                api.Put(PaPath, PodAutoscaler.Plural, "default", source == "pod"
                    ? Autoscaler($"{name}-pa", name, "KPA", "num_requests_waiting", "5", max: 16)
                    : Autoscaler($"{name}-pa", name, "KPA", "num_requests_waiting", "5", max: 16, sourceType: "external",
                        endpoint: $"127.0.0.1:{Port(engines.Ports[a % PodsEach])}"));
            }
        }, workers: 16);
        await f.SettledAsync(autoscalers, seconds: 600);

        int statusWrites = f.Api.Requests.GetValueOrDefault("PUT podautoscalers/status");
        var cpu = new List<double>();
        var wall = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            int scrapesBefore = Enumerable.Range(0, PodsEach).Sum(i => engines[i].Scrapes);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await f.TickAsync(autoscalers, seconds: 600);
            wall.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);

            Assert.Equal(autoscalers * (source == "pod" ? PodsEach : 1), Enumerable.Range(0, PodsEach).Sum(i => engines[i].Scrapes) - scrapesBefore);
        }

        Assert.Equal(0, f.Controller.Reconciler.ScaleWrites);
        Assert.Equal(statusWrites, f.Api.Requests.GetValueOrDefault("PUT podautoscalers/status")); // unchanged status is not rewritten
        Assert.True(statusWrites >= autoscalers); // the first round wrote each once
        Assert.Equal(0, f.Controller.Errors);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{source}: {autoscalers} PodAutoscalers x {PodsEach} pods, {rounds} rounds: CPU per round median {Median(cpu):0} ms (whole process: controller, fake API server, metric servers), wall median {Median(wall):0} ms; rounds cpu [{string.Join(", ", cpu.Select(c => c.ToString("0", CultureInfo.InvariantCulture)))}]"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
