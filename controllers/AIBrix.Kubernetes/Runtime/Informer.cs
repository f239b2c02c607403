using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Settings of an <see cref="Informer{T}"/>.</summary>
public sealed record InformerOptions
{
    /// <summary>Backoff after a failed list or watch (jittered). Defaults: 200 ms doubling to 30 s, 20% jitter.</summary>
    public Backoff RetryBackoff { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 0.2);

    /// <summary>Clock for the backoff waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Keeps a local cache of one resource: list, then watch from the list's resource version; a closed watch resumes
/// from the last version seen (bookmarks advance it too); 410 Gone relists; errors back off with jitter.
/// <see cref="Changed"/> fires for every add, update and delete, including the ones a relist discovers.
/// </summary>
public sealed partial class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceApi<T> _api;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, T> _cache = new(StringComparer.Ordinal);
    private TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Random _random = new();
    private int _lists;
    private int _watches;

    /// <summary>Creates an informer; call <see cref="RunAsync"/> to start it.</summary>
    public Informer(IResourceApi<T> api, InformerOptions? options = null, ILogger? logger = null)
    {
        _api = api;
        _options = options ?? new InformerOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised for each change with the object's new state (the last known one for deletes).</summary>
    public event Action<WatchEventType, T>? Changed;

    /// <summary>
    /// Completes after the current run's first successful list. A new <see cref="RunAsync"/> (a controller
    /// that leads again after losing leadership) starts a new one: the cache it kept may be out of date.
    /// </summary>
    public Task Synced => _synced.Task;

    /// <summary>The last resource version seen (from a list, an event or a bookmark).</summary>
    public string? ResourceVersion { get; private set; }

    /// <summary>Lists done so far (1 + relists after 410 Gone); for tests and metrics.</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Watch requests opened so far.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <summary>The cached objects.</summary>
    public IReadOnlyCollection<T> Items => (IReadOnlyCollection<T>)_cache.Values;

    /// <summary>The cache key of an object: <c>namespace/name</c>, or <c>name</c> when cluster-scoped.</summary>
    public static string KeyOf(IKubernetesObject<V1ObjectMeta> obj) =>
        string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? obj.Metadata.Name : obj.Metadata.NamespaceProperty + "/" + obj.Metadata.Name;

    /// <summary>The cached object with this key.</summary>
    public bool TryGet(string key, out T? value) => _cache.TryGetValue(key, out value);

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_synced.Task.IsCompleted)
        {
            _synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        int failures = 0;
        bool needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                bool listed = needList;
                if (needList)
                {
                    await RelistAsync(cancellationToken);
                    needList = false;
                }

                bool gone = false, sawEvent = false;
                Interlocked.Increment(ref _watches);
                await foreach (var (type, obj) in _api.WatchAsync(ResourceVersion!, e => gone |= IsGone(e), cancellationToken))
                {
                    failures = 0;
                    sawEvent = true;
                    Apply(type, obj);
                }

                if (gone)
                {
                    Log.Gone(_logger, typeof(T).Name, ResourceVersion ?? "");
                    needList = true;
                    if (listed && !sawEvent)
                    {
                        // Gone again right after a fresh list: the server is unhealthy; don't spin.
                        failures++;
                        await Task.Delay(_options.RetryBackoff.Delay(failures, _random), _options.Time, cancellationToken);
                    }
                }

                // A watch the server closed normally resumes at once from ResourceVersion.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (IsGone(e))
                {
                    needList = true;
                    continue;
                }

                failures++;
                var delay = _options.RetryBackoff.Delay(failures, _random);
                Log.WatchFailed(_logger, typeof(T).Name, delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, _options.Time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAsync(cancellationToken);
        Interlocked.Increment(ref _lists);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            string key = KeyOf(item);
            seen.Add(key);
            bool known = _cache.TryGetValue(key, out var old);
            if (!known || old!.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
            {
                _cache[key] = item;
                Changed?.Invoke(known ? WatchEventType.Modified : WatchEventType.Added, item);
            }
        }

        foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_cache.TryRemove(key, out var removed))
            {
                Changed?.Invoke(WatchEventType.Deleted, removed);
            }
        }

        ResourceVersion = list.ResourceVersion;
        _synced.TrySetResult();
    }

    private void Apply(WatchEventType type, T obj)
    {
        if (obj.Metadata?.ResourceVersion is { } rv)
        {
            ResourceVersion = rv;
        }

        switch (type)
        {
            case WatchEventType.Bookmark:
                return;
            case WatchEventType.Deleted:
                _cache.TryRemove(KeyOf(obj), out _);
                break;
            case WatchEventType.Added or WatchEventType.Modified:
                _cache[KeyOf(obj)] = obj;
                break;
            default:
                return;
        }

        Changed?.Invoke(type, obj);
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Kind} watch: resource version {Version} is gone (410), relisting")]
        public static partial void Gone(ILogger logger, string kind, string version);

        [LoggerMessage(2, LogLevel.Warning, "{Kind} list/watch failed, retrying in {DelayMs} ms: {Error}")]
        public static partial void WatchFailed(ILogger logger, string kind, double delayMs, string error);
    }
}
