using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Runtime;

/// <summary>The informer's watch loop against the fake API server's real list/watch protocol.</summary>
public sealed class InformerTests : IAsyncLifetime
{
    private FakeApiServer _api = null!;
    private IKubernetes _client = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _api = await FakeApiServer.StartAsync();
        _client = _api.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private (Informer<V1Pod> Informer, Task Run, List<string> Events) Start()
    {
        var informer = new Informer<V1Pod>(ResourceApis.Pods(_client, "default", null),
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), 0.2) });
        var events = new List<string>();
        informer.Changed += (t, p) =>
        {
            lock (events)
            {
                events.Add($"{t} {p.Metadata.Name}");
            }
        };
        return (informer, informer.RunAsync(_stop.Token), events);
    }

    [Fact]
    public async Task Informer_ListThenWatch_SeesAddsUpdatesAndDeletes()
    {
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("a", "m", 8000));
        var (informer, _, events) = Start();
        await informer.Synced;
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("b", "m", 8000));
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("b", "m", 8000, ready: false));
        _api.Remove(Objects.CoreV1, "pods", "default", "a");

        await Eventually.TrueAsync(() => informer.Items.Count == 1 && informer.Items.Single().Metadata.Name == "b" && events.Count == 4, "cache follows");
        lock (events)
        {
            Assert.Equal(["Added a", "Added b", "Modified b", "Deleted a"], events);
        }
    }

    [Fact]
    public async Task Informer_WatchClosedByServer_ResumesFromResourceVersionWithoutRelisting()
    {
        var (informer, _, _) = Start();
        await informer.Synced;
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("a", "m", 8000));
        await Eventually.TrueAsync(() => informer.Items.Count == 1, "first pod");

        _api.CloseWatches();
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("b", "m", 8000));

        await Eventually.TrueAsync(() => informer.Items.Count == 2, "pod added while reconnecting is seen");
        Assert.Equal(1, informer.Lists);
        Assert.True(informer.Watches >= 2);
    }

    [Fact]
    public async Task Informer_QuietWatchClosedByServer_ReconnectsAndSeesLaterChanges()
    {
        var (informer, _, _) = Start();
        await informer.Synced;
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watching");

        _api.CloseWatches();
        await Eventually.TrueAsync(() => informer.Watches >= 2 && _api.OpenWatches == 1, "watch opened again");
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("late", "m", 8000));

        await Eventually.TrueAsync(() => informer.Items.Count == 1, "change after the reconnect is seen");
        Assert.Equal(1, informer.Lists);
    }

    [Fact]
    public async Task Informer_ResourceVersionGone410_RelistsAndDropsObjectsDeletedMeanwhile()
    {
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("a", "m", 8000));
        var (informer, _, events) = Start();
        await informer.Synced;
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watching");
        // Stop the watch, change the world, forget history: the resume gets 410 and must relist.
        _api.FailNext("WATCH", "pods", 500, times: 1000);
        _api.CloseWatches();
        _api.Remove(Objects.CoreV1, "pods", "default", "a");
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("c", "m", 8000));
        _api.Compact();
        _api.FailNext("WATCH", "pods", 500, times: 0);

        await Eventually.TrueAsync(() => informer.Lists == 2, "relisted after 410");
        await Eventually.TrueAsync(() => informer.Items.Select(p => p.Metadata.Name).SequenceEqual(["c"]), "cache matches the relist");
        lock (events)
        {
            Assert.Contains("Deleted a", events);
            Assert.Contains("Added c", events);
        }
    }

    [Fact]
    public async Task Informer_Bookmark_AdvancesResourceVersionWithoutEvents()
    {
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("a", "m", 8000));
        var (informer, _, events) = Start();
        await informer.Synced;
        await Eventually.TrueAsync(() => _api.OpenWatches == 1, "watching");
        _api.Put(Objects.CoreV1, "services", "default", new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "s" } });
        long now = _api.ResourceVersion;

        _api.SendBookmarks();

        await Eventually.TrueAsync(() => informer.ResourceVersion == now.ToString(System.Globalization.CultureInfo.InvariantCulture), "bookmark version taken");
        lock (events)
        {
            Assert.Equal(["Added a"], events);
        }
    }

    [Fact]
    public async Task Informer_ListFailsTwice_BacksOffAndSyncs()
    {
        _api.FailNext("GET", "pods", 503, times: 2);
        _api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("a", "m", 8000));
        var (informer, _, _) = Start();

        await informer.Synced;

        Assert.Equal(3, _api.Requests["GET pods"]);
        Assert.Single(informer.Items);
    }
}
