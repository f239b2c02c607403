using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AIBrix.Labels;
using Microsoft.AspNetCore.Http;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of <c>{"type","object"}</c> lines. With no resourceVersion the current objects
/// come first as ADDED; with one, the history after it is replayed (410 Gone as an ERROR event when it was compacted
/// away); then every change to the resource, filtered by namespace and label selector, fans out to each open stream.
/// BOOKMARK events go to streams that asked for them; streams end on <c>timeoutSeconds</c> (default 1800), when
/// the client goes away, or when <see cref="CloseAll"/> ends them as a restarting API server would.
/// </summary>
internal sealed class WatchStreams(ObjectStore store, ResourceKinds kinds)
{
    private CancellationTokenSource _close = new();
    private int _bookmarks;
    private int _open;

    /// <summary>Streams established now (replayed and waiting for changes).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Ends every open stream.</summary>
    public void CloseAll()
    {
        CancellationTokenSource old;
        lock (store.Sync)
        {
            old = _close;
            _close = new CancellationTokenSource();
        }

        old.Cancel(); // not disposed: a stream just starting may still link to its token
    }

    /// <summary>Sends a BOOKMARK with the current resource version on every stream that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        Interlocked.Increment(ref _bookmarks);
        store.Signal();
    }

    public async Task ServeAsync(HttpContext context, ApiRoute r, LabelSelector selector)
    {
        bool bookmarks = context.Request.Query["allowWatchBookmarks"] == "true";
        string? rvText = context.Request.Query["resourceVersion"];
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();

        int bookmarkSeen = Volatile.Read(ref _bookmarks);
        var initial = new List<string>();
        int cursor;
        CancellationToken closed;
        lock (store.Sync)
        {
            closed = _close.Token;
            cursor = Start(r, selector, rvText, initial);
        }

        try
        {
            foreach (var line in initial)
            {
                await context.Response.WriteAsync(line, context.RequestAborted);
            }

            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (cursor < 0)
            {
                return;
            }

            int timeout = int.TryParse(context.Request.Query["timeoutSeconds"], out int t) ? t : 1800;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, closed);
            stop.CancelAfter(TimeSpan.FromSeconds(timeout));
            Interlocked.Increment(ref _open);
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    Task changed;
                    var batch = new StringBuilder();
                    lock (store.Sync)
                    {
                        changed = store.Changed;
                        cursor = Drain(r, selector, cursor, batch);
                        int b = Volatile.Read(ref _bookmarks);
                        if (bookmarks && b != bookmarkSeen)
                        {
                            bookmarkSeen = b;
                            batch.Append(ApiObjects.EventLine("BOOKMARK", new JsonObject
                            {
                                ["kind"] = kinds.Of(r.Key, r.Plural).Kind,
                                ["apiVersion"] = r.ApiVersion,
                                ["metadata"] = new JsonObject { ["resourceVersion"] = store.Version.ToString(CultureInfo.InvariantCulture) },
                            }));
                        }
                    }

                    if (batch.Length > 0)
                    {
                        await context.Response.WriteAsync(batch.ToString(), stop.Token);
                        await context.Response.Body.FlushAsync(stop.Token);
                    }

                    await changed.WaitAsync(stop.Token);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }
        catch (OperationCanceledException)
        {
            // closed by the test, timed out, or the client went away: end the stream
        }
    }

    // Where a new stream starts in the history (-1: it only gets the 410), and what it is sent first. Holds the lock.
    private int Start(ApiRoute r, LabelSelector selector, string? rvText, List<string> initial)
    {
        long from = string.IsNullOrEmpty(rvText) ? 0 : long.Parse(rvText, CultureInfo.InvariantCulture);
        if (from != 0 && from < store.CompactedBelow)
        {
            var gone = ApiObjects.Error(410, "Expired", $"too old resource version: {from} ({store.CompactedBelow})");
            initial.Add(ApiObjects.EventLine("ERROR", gone));
            return -1;
        }

        if (from == 0)
        {
            // No version: the current state as ADDED events, then changes.
            foreach (var (k, obj) in store.Table(r.Key))
            {
                if ((r.Ns is null || k.Ns == r.Ns) && ApiObjects.Selects(selector, obj))
                {
                    initial.Add(ApiObjects.EventLine("ADDED", obj));
                }
            }

            return store.History.Count;
        }

        int cursor = FindAfter(store.History, from);
        return cursor < 0 ? store.History.Count : cursor;
    }

    // The stream's events from the history since the cursor; returns the new cursor. Holds the lock.
    private int Drain(ApiRoute r, LabelSelector selector, int cursor, StringBuilder batch)
    {
        var history = store.History;
        for (; cursor < history.Count; cursor++)
        {
            var e = history[cursor];
            if (e.Key == r.Key && (r.Ns is null || e.Ns == r.Ns) && ApiObjects.Selects(selector, e.Object))
            {
                batch.Append(ApiObjects.EventLine(e.Type, e.Object));
            }
        }

        return cursor;
    }

    private static int FindAfter(IReadOnlyList<StoredEvent> history, long version)
    {
        for (int i = 0; i < history.Count; i++)
        {
            if (history[i].Version > version)
            {
                return i;
            }
        }

        return -1;
    }
}
