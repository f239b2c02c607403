using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port that answers every POST with a small OpenAI chat completion and
/// records the headers it received, to check what the gateway sends upstream. Its <c>/metrics</c> says
/// it is an idle vLLM engine.
/// </summary>
public sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<Dictionary<string, string>> Requests { get; } = new();

    public string Address { get; private set; } = "";

    /// <summary>The waiting-queue length its <c>/metrics</c> reports (0: idle), to make it look saturated.</summary>
    public int Waiting { get; set; }

    public static async Task<RecordingUpstream> StartAsync(string model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new RecordingUpstream(app);
        app.MapGet("/metrics", () => Results.Text(
            $"vllm:num_requests_running{{model_name=\"{model}\"}} 0\nvllm:num_requests_waiting{{model_name=\"{model}\"}} {upstream.Waiting}\nvllm:kv_cache_usage_perc{{model_name=\"{model}\"}} 0\n",
            "text/plain"));
        app.MapPost("/{**path}", (HttpContext http) =>
        {
            upstream.Requests.Enqueue(http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
            string body = $$$"""{"id":"c1","object":"chat.completion","created":1,"model":"{{{model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
            return Results.Text(body, "application/json");
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        upstream.Address = $"127.0.0.1:{port}";
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
