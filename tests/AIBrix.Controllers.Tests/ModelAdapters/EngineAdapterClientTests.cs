using System.Collections.Concurrent;
using System.Net;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.EngineMetrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.ModelAdapters;

/// <summary>The engine admin calls: routes per engine, and how answers are classified.</summary>
public sealed class EngineAdapterClientTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _calls = new();
    private WebApplication _app = null!;
    private Uri _base = null!;
    private (int Status, string Body) _reply = (200, "Success");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async c =>
        {
            string body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            _calls.Enqueue($"{c.Request.Method} {c.Request.Path} {body} {c.Request.Headers.Authorization}");
            c.Response.StatusCode = _reply.Status;
            await c.Response.WriteAsync(_reply.Body);
        });
        await _app.StartAsync();
        _base = new Uri(_app.Urls.First() + "/");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(EngineKind.Vllm, "/v1/load_lora_adapter")]
    [InlineData(EngineKind.Sglang, "/load_lora_adapter")]
    public async Task ModelAdapter_EngineLoad_UsesTheEnginesRouteAndBody(EngineKind engine, string route)
    {
        var client = new EngineAdapterClient(new HttpClient());

        var (result, _) = await client.LoadAsync(_base, engine, "lora-1", "org/repo", "secret", CancellationToken.None);

        Assert.Equal(EngineCallResult.Ok, result);
        Assert.True(_calls.TryDequeue(out var call));
        Assert.Equal($"POST {route} {{\"lora_name\":\"lora-1\",\"lora_path\":\"org/repo\"}} Bearer secret", call);
        Assert.Equal(1, client.Loads);
    }

    [Theory]
    [InlineData(400, "The lora adapter 'lora-1' has already been loaded.", EngineCallResult.Ok)]
    [InlineData(400, "max_loras_exceeded", EngineCallResult.Transient)]
    [InlineData(500, "boom", EngineCallResult.Transient)]
    [InlineData(503, "warming up", EngineCallResult.Transient)]
    [InlineData(400, "bad path", EngineCallResult.Rejected)]
    public async Task ModelAdapter_EngineLoad_ClassifiesAnswers(int status, string body, EngineCallResult expected)
    {
        _reply = (status, body);
        var client = new EngineAdapterClient(new HttpClient());

        var (result, _) = await client.LoadAsync(_base, EngineKind.Vllm, "lora-1", "/p", null, CancellationToken.None);

        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task ModelAdapter_EngineUnreachable_TransientAndListIsNull()
    {
        var client = new EngineAdapterClient(new HttpClient());
        var dead = new Uri("http://127.0.0.1:1/");

        var (result, _) = await client.LoadAsync(dead, EngineKind.Vllm, "lora-1", "/p", null, CancellationToken.None);

        Assert.Equal(EngineCallResult.Transient, result);
        Assert.Null(await client.ListModelsAsync(dead, null, CancellationToken.None));
    }

    [Fact]
    public async Task ModelAdapter_EngineUnloadOfMissingAdapter_Ok()
    {
        _reply = (404, "The lora adapter 'x' cannot be found.");
        var client = new EngineAdapterClient(new HttpClient());

        var (result, _) = await client.UnloadAsync(_base, EngineKind.Sglang, "x", null, CancellationToken.None);

        Assert.Equal(EngineCallResult.Ok, result);
        Assert.True(_calls.TryDequeue(out var call));
        Assert.StartsWith("POST /unload_lora_adapter {\"lora_name\":\"x\"}", call, StringComparison.Ordinal);
    }
}
