using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AIBrix.Labels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// An in-process Kubernetes API server over real HTTP on a loopback port, enough for KubernetesClient's real code
/// paths: list and get with label selectors, <c>?watch=true</c> chunked event streams that resume from a
/// resourceVersion, bookmarks, 410 Gone after <see cref="Compact"/>, create/update with 409 on a stale
/// resourceVersion, the status and scale subresources (<see cref="Resources"/>), merge patch and JSON patch, deletion with finalizers and
/// deletionTimestamp, and generateName. Any resource path works (<c>/api/v1/...</c>, <c>/apis/group/version/...</c>);
/// objects are kept as JSON. This class is the HTTP front; <see cref="ObjectStore"/> keeps the objects and their
/// history, <see cref="ResourceVerbs"/> the verbs, <see cref="WatchStreams"/> the watches.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store = new();
    private readonly ResourceVerbs _verbs;
    private readonly ScaleVerbs _scale;
    private readonly WatchStreams _watches;
    private readonly Lock _faultLock = new();
    private (string Method, string Plural, int Status, int Times)? _fault;

    private FakeApiServer(WebApplication app)
    {
        _app = app;
        _verbs = new ResourceVerbs(_store, Resources);
        _scale = new ScaleVerbs(_store, Resources, _verbs);
        _watches = new WatchStreams(_store, Resources);
    }

    /// <summary>
    /// The resources this server knows, with their subresources. Built-in workloads and the project's CRDs are
    /// there; register others (e.g. a custom resource with a scale subresource) before using them.
    /// </summary>
    public ResourceKinds Resources { get; } = new();

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests served, by <c>METHOD plural[/sub]</c> (watches as <c>WATCH plural</c>).</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>Watch streams established now (their history is replayed and they wait for changes).</summary>
    public int OpenWatches => _watches.Open;

    /// <summary>The current resource version.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_store.Sync)
            {
                return _store.Version;
            }
        }
    }

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

    /// <summary>Forgets history: watches from any older resource version get 410 Gone.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Ends every open watch stream, as an API server does on timeout or restart.</summary>
    public void CloseWatches() => _watches.CloseAll();

    /// <summary>Sends a BOOKMARK with the current resource version on every watch that asked for bookmarks.</summary>
    public void SendBookmarks() => _watches.SendBookmarks();

    /// <summary>The next <paramref name="times"/> requests with this method on this resource fail with <paramref name="status"/>.</summary>
    public void FailNext(string method, string plural, int status, int times = 1)
    {
        lock (_faultLock)
        {
            _fault = times > 0 ? (method, plural, status, times) : null;
        }
    }

    /// <summary>Creates or replaces an object directly (test setup), with a watch event.</summary>
    public JsonObject Put(string apiPath, string plural, string? ns, JsonObject obj) => _store.Put(ApiRoute.KeyOf(apiPath, plural), ns, obj);

    /// <summary>Removes an object at once (as if its finalizers were cleared elsewhere).</summary>
    public void Remove(string apiPath, string plural, string? ns, string name) => _store.Remove(ApiRoute.KeyOf(apiPath, plural), ns, name);

    /// <summary>A copy of an object, or null.</summary>
    public JsonObject? Get(string apiPath, string plural, string? ns, string name) => _store.Get(ApiRoute.KeyOf(apiPath, plural), ns, name);

    /// <summary>Copies of every object of a resource in a namespace.</summary>
    public IReadOnlyList<JsonObject> All(string apiPath, string plural, string? ns) => _store.All(ApiRoute.KeyOf(apiPath, plural), ns);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        CloseWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (ApiRoute.Parse(context.Request.Path.Value ?? "") is not { } r)
        {
            await WriteAsync(context, 404, ApiObjects.Error(404, "NotFound", "no such path"));
            return;
        }

        bool watch = context.Request.Query["watch"] is var w && (w == "true" || w == "1");
        string verb = watch ? "WATCH" : context.Request.Method;
        Requests.AddOrUpdate($"{verb} {r.Plural}{(r.Sub is null ? "" : "/" + r.Sub)}", 1, (_, n) => n + 1);
        if (TakeFault(verb, r.Plural) is { } status)
        {
            await WriteAsync(context, status, ApiObjects.Error(status, "InternalError", "injected fault"));
            return;
        }

        if (r.Sub == "scale" && r.Name is not null)
        {
            await HandleScaleAsync(context, r);
            return;
        }

        switch (context.Request.Method)
        {
            case "GET" when r.Name is null:
                if (!TryReadSelector(context, out var selector, out var problem))
                {
                    await WriteAsync(context, 400, problem);
                }
                else if (watch)
                {
                    await _watches.ServeAsync(context, r, selector);
                }
                else
                {
                    await WriteAsync(context, 200, _verbs.List(r, selector));
                }

                return;
            case "GET":
                await ReplyAsync(context, _verbs.Get(r));
                return;
            case "POST":
                await ReplyAsync(context, await ReadObjectAsync(context), body => _verbs.Create(r, body));
                return;
            case "PUT":
                await ReplyAsync(context, await ReadObjectAsync(context), body => _verbs.Update(r, body));
                return;
            case "PATCH":
                string type = context.Request.ContentType ?? "";
                var patch = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
                await ReplyAsync(context, _verbs.Patch(r, patch, type));
                return;
            case "DELETE":
                await ReplyAsync(context, _verbs.Delete(r));
                return;
            default:
                await WriteAsync(context, 405, ApiObjects.Error(405, "MethodNotAllowed", "method not allowed"));
                return;
        }
    }

    private async Task HandleScaleAsync(HttpContext context, ApiRoute r)
    {
        switch (context.Request.Method)
        {
            case "GET":
                await ReplyAsync(context, _scale.Get(r));
                return;
            case "PUT":
                await ReplyAsync(context, await ReadObjectAsync(context), body => _scale.Update(r, body));
                return;
            case "PATCH":
                var patch = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
                await ReplyAsync(context, _scale.Patch(r, patch, context.Request.ContentType ?? ""));
                return;
            default:
                await WriteAsync(context, 405, ApiObjects.Error(405, "MethodNotAllowed", "method not allowed"));
                return;
        }
    }

    private int? TakeFault(string verb, string plural)
    {
        lock (_faultLock)
        {
            if (_fault is { } f && f.Method == verb && f.Plural == plural)
            {
                _fault = f.Times > 1 ? f with { Times = f.Times - 1 } : null;
                return f.Status;
            }

            return null;
        }
    }

    // An absent or empty labelSelector selects everything; a malformed one is a 400, as the API server answers it.
    private static bool TryReadSelector(HttpContext context, out LabelSelector selector, out JsonObject problem)
    {
        string? text = context.Request.Query["labelSelector"];
        problem = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            selector = LabelSelector.Everything;
            return true;
        }

        if (LabelSelector.TryParse(text, out var parsed, out var error))
        {
            selector = parsed!;
            return true;
        }

        selector = LabelSelector.Everything;
        problem = ApiObjects.Error(400, "BadRequest", $"unable to parse requirement: {error}");
        return false;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context) =>
        JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject;

    private static Task ReplyAsync(HttpContext context, JsonObject? body, Func<JsonObject, (int, JsonObject?)> action) =>
        body is null ? WriteAsync(context, 400, ApiObjects.Error(400, "BadRequest", "body must be a JSON object")) : ReplyAsync(context, action(body));

    private static Task ReplyAsync(HttpContext context, (int Status, JsonObject? Body) result) =>
        WriteAsync(context, result.Status, result.Body ?? ApiObjects.Error(result.Status, "NotFound", "not found"));

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
