using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.FakeApi;

/// <summary>
/// An in-process Kubernetes API server over real HTTP on a loopback port, enough for KubernetesClient's real code
/// paths: list and get, <c>?watch=true</c> chunked event streams that resume from a resourceVersion, bookmarks,
/// 410 Gone after <see cref="Compact"/>, create/update with 409 on a stale resourceVersion, the status subresource,
/// merge patch and JSON patch, deletion with finalizers and deletionTimestamp, and generateName.
/// Any resource path works (<c>/api/v1/...</c>, <c>/apis/group/version/...</c>); objects are kept as JSON.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private static readonly HashSet<string> WithStatus = new(StringComparer.Ordinal) { "pods", "services", "modeladapters", "deployments" };
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<(string Ns, string Name), JsonObject>> _store = new(StringComparer.Ordinal);
    private readonly List<LogEntry> _log = [];
    private readonly WebApplication _app;
    private long _rv = 1000;
    private long _compactedBelow;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _closeWatches = new();
    private int _bookmarks;
    private int _openWatches;
    private (string Method, string Plural, int Status, int Times)? _fault;

    private FakeApiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests served, by <c>METHOD plural[/sub]</c> (watches as <c>WATCH plural</c>).</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>Watch streams established now (their history is replayed and they wait for changes).</summary>
    public int OpenWatches => Volatile.Read(ref _openWatches);

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First() + "/");
        return server;
    }

    /// <summary>A real KubernetesClient pointed at this server.</summary>
    public IKubernetes CreateClient() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = BaseAddress.ToString().TrimEnd('/') });

    /// <summary>The current resource version.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _rv;
            }
        }
    }

    /// <summary>Forgets history: watches from any older resource version get 410 Gone.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedBelow = _rv; // versions before the current one are gone
        }
    }

    /// <summary>Ends every open watch stream, as an API server does on timeout or restart.</summary>
    public void CloseWatches()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _closeWatches;
            _closeWatches = new CancellationTokenSource();
        }

        old.Cancel();
    }

    /// <summary>Sends a BOOKMARK with the current resource version on every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        Interlocked.Increment(ref _bookmarks);
        Signal();
    }

    /// <summary>The next <paramref name="times"/> requests with this method on this resource fail with <paramref name="status"/>.</summary>
    public void FailNext(string method, string plural, int status, int times = 1)
    {
        lock (_lock)
        {
            _fault = times > 0 ? (method, plural, status, times) : null;
        }
    }

    /// <summary>Creates or replaces an object directly (test setup), with a watch event.</summary>
    public JsonObject Put(string apiPath, string plural, string? ns, JsonObject obj)
    {
        lock (_lock)
        {
            var key = Key(apiPath, plural);
            var meta = Meta(obj);
            string name = meta["name"]!.GetValue<string>();
            bool exists = Table(key).TryGetValue((ns ?? "", name), out var old);
            meta["namespace"] = ns;
            meta["uid"] = exists ? old!["metadata"]!["uid"]!.DeepClone() : Guid.NewGuid().ToString();
            meta["creationTimestamp"] ??= "2026-11-28T00:00:00Z";
            meta["generation"] ??= 1L;
            Store(key, ns ?? "", name, obj, exists ? "MODIFIED" : "ADDED");
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>Removes an object at once (as if its finalizers were cleared elsewhere).</summary>
    public void Remove(string apiPath, string plural, string? ns, string name)
    {
        lock (_lock)
        {
            var key = Key(apiPath, plural);
            if (Table(key).Remove((ns ?? "", name), out var old))
            {
                Append(key, ns ?? "", "DELETED", old, bump: true);
            }
        }
    }

    /// <summary>A copy of an object, or null.</summary>
    public JsonObject? Get(string apiPath, string plural, string? ns, string name)
    {
        lock (_lock)
        {
            return Table(Key(apiPath, plural)).TryGetValue((ns ?? "", name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Copies of every object of a resource in a namespace.</summary>
    public IReadOnlyList<JsonObject> All(string apiPath, string plural, string? ns)
    {
        lock (_lock)
        {
            return Table(Key(apiPath, plural)).Where(p => ns is null || p.Key.Ns == ns).Select(p => (JsonObject)p.Value.DeepClone()).ToList();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        CloseWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var route = Route.Parse(context.Request.Path.Value ?? "");
        if (route is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", "no such path");
            return;
        }

        var r = route.Value;
        bool watch = context.Request.Query["watch"] is var w && (w == "true" || w == "1");
        string verb = watch ? "WATCH" : context.Request.Method;
        Requests.AddOrUpdate($"{verb} {r.Plural}{(r.Sub is null ? "" : "/" + r.Sub)}", 1, (_, n) => n + 1);
        lock (_lock)
        {
            if (_fault is { } f && f.Method == verb && f.Plural == r.Plural)
            {
                _fault = f.Times > 1 ? f with { Times = f.Times - 1 } : null;
                context.Response.StatusCode = f.Status;
                context.Response.ContentType = "application/json";
                _ = context.Response.WriteAsync(StatusJson(f.Status, "InternalError", "injected fault"));
                return;
            }
        }

        switch (context.Request.Method)
        {
            case "GET" when watch && r.Name is null:
                await WatchAsync(context, r);
                return;
            case "GET" when r.Name is null:
                await ListAsync(context, r);
                return;
            case "GET":
                await ReplyAsync(context, () => Find(r) is { } o ? (200, o) : (404, null));
                return;
            case "POST":
                await ReplyAsync(context, await ReadBodyAsync(context), body => Create(r, body));
                return;
            case "PUT":
                await ReplyAsync(context, await ReadBodyAsync(context), body => Update(r, body));
                return;
            case "PATCH":
                string type = context.Request.ContentType ?? "";
                var patch = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
                await ReplyAsync(context, () => Patch(r, patch, type));
                return;
            case "DELETE":
                await ReplyAsync(context, () => Delete(r));
                return;
            default:
                await WriteStatusAsync(context, 405, "MethodNotAllowed", "method not allowed");
                return;
        }
    }

    private (int, JsonObject?) Create(Route r, JsonObject body)
    {
        lock (_lock)
        {
            var meta = Meta(body);
            string? name = meta["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) && meta["generateName"]?.GetValue<string>() is { } prefix)
            {
                name = prefix + Guid.NewGuid().ToString("N")[..5];
                meta["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                return (422, Error(422, "Invalid", "metadata.name is required"));
            }

            var table = Table(r.Key);
            if (table.ContainsKey((r.Ns ?? "", name)))
            {
                return (409, Error(409, "AlreadyExists", $"{r.Plural} \"{name}\" already exists"));
            }

            meta["namespace"] = r.Ns;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["generation"] = 1L;
            meta["creationTimestamp"] = "2026-11-28T00:00:00Z";
            meta.Remove("deletionTimestamp");
            if (WithStatus.Contains(r.Plural) && r.Plural == "modeladapters")
            {
                body.Remove("status"); // CRDs with the status subresource ignore status on create
            }

            Store(r.Key, r.Ns ?? "", name, body, "ADDED");
            return (201, (JsonObject)body.DeepClone());
        }
    }

    private (int, JsonObject?) Update(Route r, JsonObject body)
    {
        lock (_lock)
        {
            if (!Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return (404, Error(404, "NotFound", $"{r.Plural} \"{r.Name}\" not found"));
            }

            string? rv = Meta(body)["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(rv) && rv != Meta(old)["resourceVersion"]!.GetValue<string>())
            {
                return (409, Error(409, "Conflict", $"Operation cannot be fulfilled on {r.Plural} \"{r.Name}\": the object has been modified; please apply your changes to the latest version and try again"));
            }

            return Commit(r, old, body);
        }
    }

    private (int, JsonObject?) Patch(Route r, JsonNode? patch, string contentType)
    {
        lock (_lock)
        {
            if (!Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return (404, Error(404, "NotFound", $"{r.Plural} \"{r.Name}\" not found"));
            }

            var next = (JsonObject)old.DeepClone();
            if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
            {
                if (!JsonPatch.Apply(next, patch as JsonArray ?? [], out string error))
                {
                    return (422, Error(422, "Invalid", error));
                }
            }
            else
            {
                next = (JsonObject)JsonPatch.Merge(next, patch)!;
            }

            string? rv = Meta(next)["resourceVersion"]?.GetValue<string>();
            if (rv is not null && rv != Meta(old)["resourceVersion"]!.GetValue<string>())
            {
                return (409, Error(409, "Conflict", "the object has been modified"));
            }

            return Commit(r, old, next);
        }
    }

    private (int, JsonObject?) Delete(Route r)
    {
        lock (_lock)
        {
            var table = Table(r.Key);
            if (!table.TryGetValue((r.Ns ?? "", r.Name!), out var old))
            {
                return (404, Error(404, "NotFound", $"{r.Plural} \"{r.Name}\" not found"));
            }

            if (Meta(old)["finalizers"] is JsonArray { Count: > 0 })
            {
                if (Meta(old)["deletionTimestamp"] is null)
                {
                    var next = (JsonObject)old.DeepClone();
                    Meta(next)["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                    Store(r.Key, r.Ns ?? "", r.Name!, next, "MODIFIED");
                    return (200, (JsonObject)next.DeepClone());
                }

                return (200, (JsonObject)old.DeepClone());
            }

            table.Remove((r.Ns ?? "", r.Name!));
            Append(r.Key, r.Ns ?? "", "DELETED", old, bump: true);
            return (200, (JsonObject)old.DeepClone());
        }
    }

    // Applies an update through the main resource or the status subresource, then finishes deletion when the last finalizer is gone.
    private (int, JsonObject?) Commit(Route r, JsonObject old, JsonObject body)
    {
        JsonObject next;
        if (r.Sub == "status")
        {
            next = (JsonObject)old.DeepClone();
            next["status"] = body["status"]?.DeepClone();
        }
        else
        {
            next = body;
            var meta = Meta(next);
            var oldMeta = Meta(old);
            foreach (var keep in new[] { "uid", "creationTimestamp", "namespace", "deletionTimestamp", "generation" })
            {
                meta[keep] = oldMeta[keep]?.DeepClone();
            }

            if (WithStatus.Contains(r.Plural))
            {
                next["status"] = old["status"]?.DeepClone();
            }

            if (!JsonNode.DeepEquals(old["spec"], next["spec"]))
            {
                meta["generation"] = (oldMeta["generation"] is { } g ? long.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 1L) + 1;
            }
        }

        if (Meta(next)["deletionTimestamp"] is not null && Meta(next)["finalizers"] is not JsonArray { Count: > 0 })
        {
            Table(r.Key).Remove((r.Ns ?? "", r.Name!));
            Append(r.Key, r.Ns ?? "", "DELETED", next, bump: true);
            return (200, (JsonObject)next.DeepClone());
        }

        Store(r.Key, r.Ns ?? "", r.Name!, next, "MODIFIED");
        return (200, (JsonObject)next.DeepClone());
    }

    private async Task ListAsync(HttpContext context, Route r)
    {
        var selector = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        JsonObject list;
        lock (_lock)
        {
            var items = new JsonArray();
            foreach (var (k, obj) in Table(r.Key).OrderBy(p => p.Key.Ns, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
            {
                if ((r.Ns is null || k.Ns == r.Ns) && selector.Matches(obj))
                {
                    items.Add(obj.DeepClone());
                }
            }

            list = new JsonObject
            {
                ["kind"] = KindOf(r.Plural) + "List",
                ["apiVersion"] = r.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(list.ToJsonString());
    }

    private async Task WatchAsync(HttpContext context, Route r)
    {
        var selector = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        bool bookmarks = context.Request.Query["allowWatchBookmarks"] == "true";
        string? rvText = context.Request.Query["resourceVersion"];
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();

        int cursor;
        int bookmarkSeen = Volatile.Read(ref _bookmarks);
        CancellationToken closed;
        var initial = new List<string>();
        lock (_lock)
        {
            closed = _closeWatches.Token;
            long from = string.IsNullOrEmpty(rvText) ? 0 : long.Parse(rvText, CultureInfo.InvariantCulture);
            if (from != 0 && from < _compactedBelow)
            {
                initial.Add(Line("ERROR", JsonNode.Parse(StatusJson(410, "Expired", $"too old resource version: {from} ({_compactedBelow})"))!));
                cursor = -1;
            }
            else if (from == 0)
            {
                // No version: the current state as ADDED events, then changes.
                foreach (var (k, obj) in Table(r.Key))
                {
                    if ((r.Ns is null || k.Ns == r.Ns) && selector.Matches(obj))
                    {
                        initial.Add(Line("ADDED", obj));
                    }
                }

                cursor = _log.Count;
            }
            else
            {
                cursor = _log.FindIndex(e => e.Rv > from);
                cursor = cursor < 0 ? _log.Count : cursor;
            }
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
            Interlocked.Increment(ref _openWatches);
            using var opened = new Opened(() => Interlocked.Decrement(ref _openWatches));
            while (!stop.IsCancellationRequested)
            {
                Task changed;
                var batch = new StringBuilder();
                lock (_lock)
                {
                    changed = _changed.Task;
                    for (; cursor < _log.Count; cursor++)
                    {
                        var e = _log[cursor];
                        if (e.Key == r.Key && (r.Ns is null || e.Ns == r.Ns) && selector.Matches(e.Object))
                        {
                            batch.Append(Line(e.Type, e.Object));
                        }
                    }

                    int b = Volatile.Read(ref _bookmarks);
                    if (bookmarks && b != bookmarkSeen)
                    {
                        bookmarkSeen = b;
                        batch.Append(Line("BOOKMARK", new JsonObject
                        {
                            ["kind"] = KindOf(r.Plural),
                            ["apiVersion"] = r.ApiVersion,
                            ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture) },
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
        catch (OperationCanceledException)
        {
            // closed by the test, timed out, or the client went away: end the stream
        }
    }

    private void Store(string key, string ns, string name, JsonObject obj, string type)
    {
        _rv++;
        Meta(obj)["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        Table(key)[(ns, name)] = obj;
        Append(key, ns, type, obj, bump: false);
    }

    private void Append(string key, string ns, string type, JsonObject obj, bool bump)
    {
        if (bump)
        {
            _rv++;
            obj = (JsonObject)obj.DeepClone();
            Meta(obj)["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        }

        _log.Add(new LogEntry(_rv, key, ns, type, (JsonObject)obj.DeepClone()));
        Signal();
    }

    private void Signal()
    {
        var old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    private JsonObject? Find(Route r)
    {
        lock (_lock)
        {
            return Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    private Dictionary<(string Ns, string Name), JsonObject> Table(string key)
    {
        if (!_store.TryGetValue(key, out var table))
        {
            _store[key] = table = [];
        }

        return table;
    }

    private static string Key(string apiPath, string plural) => apiPath.Trim('/') + "/" + plural;

    private static JsonObject Meta(JsonObject obj) => (JsonObject)(obj["metadata"] ??= new JsonObject());

    private static string Line(string type, JsonNode obj) => new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";

    private static string KindOf(string plural) => plural switch
    {
        "pods" => "Pod",
        "services" => "Service",
        "endpointslices" => "EndpointSlice",
        "leases" => "Lease",
        "events" => "Event",
        "modeladapters" => "ModelAdapter",
        _ => char.ToUpperInvariant(plural[0]) + plural[1..^1],
    };

    private static JsonObject Error(int code, string reason, string message) => (JsonObject)JsonNode.Parse(StatusJson(code, reason, message))!;

    private static string StatusJson(int code, string reason, string message) =>
        new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = reason, ["code"] = code,
        }.ToJsonString();

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context) =>
        JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject;

    private static Task ReplyAsync(HttpContext context, JsonObject? body, Func<JsonObject, (int, JsonObject?)> action) =>
        body is null ? WriteStatusAsync(context, 400, "BadRequest", "body must be a JSON object") : ReplyAsync(context, () => action(body));

    private static async Task ReplyAsync(HttpContext context, Func<(int Status, JsonObject? Body)> action)
    {
        var (status, body) = action();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync((body ?? Error(status, "NotFound", "not found")).ToJsonString());
    }

    private static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(StatusJson(code, reason, message));
    }

    private sealed class Opened(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }

    private sealed record LogEntry(long Rv, string Key, string Ns, string Type, JsonObject Object);

    private readonly record struct Route(string ApiPath, string ApiVersion, string Plural, string? Ns, string? Name, string? Sub)
    {
        public string Key => FakeApiServer.Key(ApiPath, Plural);

        public static Route? Parse(string path)
        {
            var s = path.Trim('/').Split('/');
            int i;
            string apiPath, apiVersion;
            if (s.Length >= 3 && s[0] == "api")
            {
                apiPath = "api/" + s[1];
                apiVersion = s[1];
                i = 2;
            }
            else if (s.Length >= 4 && s[0] == "apis")
            {
                apiPath = $"apis/{s[1]}/{s[2]}";
                apiVersion = $"{s[1]}/{s[2]}";
                i = 3;
            }
            else
            {
                return null;
            }

            string? ns = null;
            if (s[i] == "namespaces" && s.Length > i + 2)
            {
                ns = s[i + 1];
                i += 2;
            }

            string plural = s[i];
            string? name = s.Length > i + 1 ? s[i + 1] : null;
            string? sub = s.Length > i + 2 ? s[i + 2] : null;
            return new Route(apiPath, apiVersion, plural, ns, name, sub);
        }
    }
}
