using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>What one fake engine's <c>/metrics</c> page says, changeable while the test runs.</summary>
internal sealed class EngineLoad
{
    public volatile string Engine = "vllm";

    public double Waiting { get; set; }

    public double Running { get; set; }

    public double KvUsage { get; set; }

    /// <summary>Answer 500 instead of a page.</summary>
    public volatile bool Fail;

    /// <summary>Extra lines appended as they are (an external metric, say).</summary>
    public volatile string Extra = "";

    public int Scrapes;

    public string Page() => Engine switch
    {
        "sglang" => Invariant($"# TYPE sglang:num_running_reqs gauge\nsglang:num_running_reqs{{model_name=\"m\"}} {Running}\n# TYPE sglang:num_queue_reqs gauge\nsglang:num_queue_reqs{{model_name=\"m\"}} {Waiting}\n# TYPE sglang:token_usage gauge\nsglang:token_usage{{model_name=\"m\"}} {KvUsage}\n") + Extra,
        _ => Invariant($"# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{{model_name=\"m\"}} {Running}\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{{model_name=\"m\"}} {Waiting}\n# TYPE vllm:gpu_cache_usage_perc gauge\nvllm:gpu_cache_usage_perc{{model_name=\"m\"}} {KvUsage}\n") + Extra,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Fake engines' metrics over real HTTP: one Kestrel, one loopback port per engine, each serving the Prometheus text
/// of its <see cref="EngineLoad"/> at <c>/metrics</c> in the vLLM or SGLang dialect.
/// </summary>
internal sealed class MetricPods : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, EngineLoad> _loads = new();

    private MetricPods(WebApplication app) => _app = app;

    public IReadOnlyList<int> Ports { get; private set; } = [];

    public EngineLoad this[int index] => _loads[Ports[index]];

    public static async Task<MetricPods> StartAsync(int engines)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (int i = 0; i < engines; i++)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        var pods = new MetricPods(app);
        app.MapGet("/metrics", (HttpContext c) =>
        {
            var load = pods._loads.GetOrAdd(c.Connection.LocalPort, _ => new EngineLoad());
            Interlocked.Increment(ref load.Scrapes);
            return load.Fail ? Results.StatusCode(500) : Results.Text(load.Page(), "text/plain; version=0.0.4");
        });
        await app.StartAsync();
        pods.Ports = app.Urls.Select(u => new Uri(u).Port).ToList();
        foreach (int port in pods.Ports)
        {
            pods._loads[port] = new EngineLoad();
        }

        return pods;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
