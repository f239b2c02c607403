using System.Text.Json.Nodes;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>A fake API server and a running ModelAdapter controller against it, with fast retry settings.</summary>
internal sealed class ControllerFixture : IAsyncDisposable
{
    private CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private ControllerFixture(FakeApiServer api, IKubernetes client, ModelAdapterController controller, EngineAdapterClient engines)
    {
        Api = api;
        Client = client;
        Controller = controller;
        Engines = engines;
    }

    public FakeApiServer Api { get; }

    public IKubernetes Client { get; }

    public ModelAdapterController Controller { get; }

    public EngineAdapterClient Engines { get; }

    public static async Task<ControllerFixture> StartAsync(ModelAdapterOptions? options = null, Action<FakeApiServer>? seed = null)
    {
        var api = await FakeApiServer.StartAsync();
        seed?.Invoke(api);
        var client = api.CreateClient();
        var engines = new EngineAdapterClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        options ??= new ModelAdapterOptions();
        options = options with
        {
            Namespaces = options.Namespaces.Count == 0 ? ["default"] : options.Namespaces,
            LoadRetry = options.LoadRetry.Base == TimeSpan.FromSeconds(5) ? new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)) : options.LoadRetry,
            Seed = 7,
        };
        var controller = new ModelAdapterController(client, engines, options, NullLoggerFactory.Instance,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.2) },
            new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100)));
        var fixture = new ControllerFixture(api, client, controller, engines);
        fixture._run = controller.RunAsync(fixture._stop.Token);
        return fixture;
    }

    /// <summary>Stops the controller as a lost leadership does (cancels its run and waits for it).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    /// <summary>Runs the same controller instance again, as a replica that leads again does.</summary>
    public void RunAgain()
    {
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        _run = Controller.RunAsync(_stop.Token);
    }

    public JsonObject CreateAdapter(JsonObject adapter) => Api.Put(Objects.ModelV1Alpha1, ModelAdapter.Plural, "default", adapter);

    public JsonObject? Adapter(string name) => Api.Get(Objects.ModelV1Alpha1, ModelAdapter.Plural, "default", name);

    public string? Phase(string name) => Adapter(name)?["status"]?["phase"]?.GetValue<string>();

    public IReadOnlyList<string> Instances(string name) =>
        (Adapter(name)?["status"]?["instances"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        Controller.Dispose();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
