using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Tests.Fakes;

/// <summary>
/// An in-process Hugging Face Hub on real Kestrel, speaking the hub's protocol as huggingface_hub sees it:
/// <c>GET /api/models/{repo}/revision/{rev}?blobs=true</c> (siblings with size, blobId, lfs.sha256),
/// <c>GET /{repo}/resolve/{rev}/{path}</c> with Range, <c>X-Repo-Commit</c>, <c>ETag</c> / <c>X-Linked-Etag</c>,
/// LFS files redirected (302) to a "CDN" on a second port (another authority, so the token must not follow),
/// and the hub's errors with <c>X-Error-Code</c> (RepoNotFound as 401, RevisionNotFound, EntryNotFound, GatedRepo).
/// Counts the content bytes it serves and can cut a connection after N bytes.
/// </summary>
internal sealed class FakeHuggingFaceHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.Ordinal);
    private long _bytesServed;
    private readonly ConcurrentQueue<long> _cuts = new();
    private string? _cutPath;

    private FakeHuggingFaceHub(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public Uri CdnEndpoint { get; private set; } = null!;

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>Authorization headers seen on CDN requests (must stay empty: the token is the hub's only).</summary>
    public ConcurrentBag<string> CdnAuthorizations { get; } = [];

    /// <summary>Resolve requests seen, as "path range".</summary>
    public ConcurrentBag<string> Requests { get; } = [];

    /// <summary>The valid tokens; any other bearer token is "invalid credentials" (401).</summary>
    public HashSet<string> Tokens { get; } = ["hf_good"];

    /// <summary>When set, every content response waits on it first.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, a cut response holds its connection open after its bytes until this completes.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public static async Task<FakeHuggingFaceHub> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0);
        });
        WebApplication app = builder.Build();
        var hub = new FakeHuggingFaceHub(app);
        app.Run(hub.HandleAsync);
        await app.StartAsync();
        string[] addresses = app.Urls.ToArray();
        hub.Endpoint = new Uri(addresses[0] + "/");
        hub.CdnEndpoint = new Uri(addresses[1] + "/");
        return hub;
    }

    /// <summary>Adds (or replaces) a repository with one commit on <c>main</c>.</summary>
    public FakeRepo AddRepo(string id, IReadOnlyDictionary<string, byte[]> files, bool gated = false, bool isPrivate = false)
    {
        var repo = new FakeRepo(id, gated, isPrivate);
        repo.AddCommit("main", files);
        _repos[id] = repo;
        return repo;
    }

    /// <summary>Cuts the connection of the next responses for <paramref name="path"/>, one per entry of
    /// <paramref name="bytes"/>, after that many content bytes.</summary>
    public void CutAfter(string path, params long[] bytes)
    {
        _cutPath = path;
        foreach (long b in bytes)
        {
            _cuts.Enqueue(b);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        bool viaCdn = context.Connection.LocalPort == CdnEndpoint.Port;
        if (viaCdn)
        {
            if (context.Request.Headers.Authorization.Count > 0)
            {
                CdnAuthorizations.Add(context.Request.Headers.Authorization.ToString());
            }

            // /cdn/{repo}/{commit}/{path}
            string[] cdn = path.Split('/', 6, StringSplitOptions.None);
            if (cdn.Length == 6 && cdn[1] == "cdn" && _repos.TryGetValue(cdn[2] + "/" + cdn[3], out FakeRepo? cdnRepo)
                && cdnRepo.Commits.TryGetValue(cdn[4], out Dictionary<string, byte[]>? cdnFiles)
                && cdnFiles.TryGetValue(Uri.UnescapeDataString(cdn[5]), out byte[]? cdnContent))
            {
                await ServeAsync(context, Uri.UnescapeDataString(cdn[5]), cdnContent);
                return;
            }

            context.Response.StatusCode = 404;
            return;
        }

        if (path.StartsWith("/api/models/", StringComparison.Ordinal))
        {
            // /api/models/{org}/{name}/revision/{rev}
            string[] parts = path["/api/models/".Length..].Split('/');
            if (parts.Length == 4 && parts[2] == "revision")
            {
                await ListAsync(context, parts[0] + "/" + parts[1], Uri.UnescapeDataString(parts[3]));
                return;
            }
        }
        else
        {
            // /{org}/{name}/resolve/{rev}/{path}
            string[] parts = path.TrimStart('/').Split('/', 5);
            if (parts.Length == 5 && parts[2] == "resolve")
            {
                await ResolveAsync(context, parts[0] + "/" + parts[1], Uri.UnescapeDataString(parts[3]), Uri.UnescapeDataString(parts[4]));
                return;
            }
        }

        await ErrorAsync(context, 404, null, "Not Found");
    }

    private async Task ListAsync(HttpContext context, string id, string revision)
    {
        if (!Authorize(context, id, out FakeRepo? repo) || !FindCommit(context, repo!, revision, out string commit))
        {
            await context.Response.CompleteAsync();
            return;
        }

        bool blobs = context.Request.Query["blobs"] == "true";
        var siblings = repo!.Commits[commit].OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => blobs
            ? (object)new
            {
                rfilename = f.Key,
                size = f.Value.Length,
                blobId = repo.IsLfs(f.Key) ? Hex(SHA1.HashData(Encoding.ASCII.GetBytes("pointer:" + f.Key))) : GitBlobId(repo.ClaimedContent(commit, f.Key) ?? f.Value),
                lfs = repo.IsLfs(f.Key) ? new { sha256 = Hex(SHA256.HashData(repo.ClaimedContent(commit, f.Key) ?? f.Value)), size = f.Value.Length, pointerSize = 134 } : null,
            }
            : new { rfilename = f.Key });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { id, modelId = id, sha = commit, @private = repo.IsPrivate, gated = repo.Gated ? "manual" : (object)false, siblings }));
    }

    private async Task ResolveAsync(HttpContext context, string id, string revision, string file)
    {
        if (!Authorize(context, id, out FakeRepo? repo) || !FindCommit(context, repo!, revision, out string commit))
        {
            await context.Response.CompleteAsync();
            return;
        }

        if (!repo!.Commits[commit].TryGetValue(file, out byte[]? content))
        {
            await ErrorAsync(context, 404, "EntryNotFound", $"{file} does not exist on \"{revision}\"");
            return;
        }

        context.Response.Headers["X-Repo-Commit"] = commit;
        if (repo.IsLfs(file))
        {
            context.Response.Headers["X-Linked-Etag"] = $"\"{Hex(SHA256.HashData(content))}\"";
            context.Response.Headers["X-Linked-Size"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(CdnEndpoint, $"cdn/{id}/{commit}/{Uri.EscapeDataString(file)}").AbsoluteUri;
            return;
        }

        context.Response.Headers.ETag = $"\"{GitBlobId(content)}\"";
        await ServeAsync(context, file, content);
    }

    private async Task ServeAsync(HttpContext context, string file, byte[] content)
    {
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        long from = 0;
        long to = content.Length - 1;
        string range = context.Request.Headers.Range.ToString();
        Requests.Add($"{file} {range}");
        context.Response.Headers.AcceptRanges = "bytes";
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            string[] ends = range["bytes=".Length..].Split('-');
            from = long.Parse(ends[0], System.Globalization.CultureInfo.InvariantCulture);
            if (ends[1].Length > 0)
            {
                to = Math.Min(to, long.Parse(ends[1], System.Globalization.CultureInfo.InvariantCulture));
            }

            if (from > to)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{content.Length}";
        }

        long length = to - from + 1;
        context.Response.ContentLength = length;
        long cut = -1;
        if (_cutPath == file && _cuts.TryDequeue(out long cutAt))
        {
            cut = cutAt;
        }

        if (cut >= 0 && cut < length)
        {
            // Counted before the write: the client can hold the last byte before WriteAsync returns here.
            Interlocked.Add(ref _bytesServed, cut);
            await context.Response.Body.WriteAsync(content.AsMemory((int)from, (int)cut));
            await context.Response.Body.FlushAsync();
            // Let the bytes reach the client before the cut (a hold waits for the test to let go).
            await (Hold?.Task ?? Task.Delay(100));
            context.Abort();
            return;
        }

        Interlocked.Add(ref _bytesServed, length);
        await context.Response.Body.WriteAsync(content.AsMemory((int)from, (int)length));
    }

    private bool Authorize(HttpContext context, string id, out FakeRepo? repo)
    {
        string auth = context.Request.Headers.Authorization.ToString();
        string? token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        if (token is not null && !Tokens.Contains(token))
        {
            _ = ErrorAsync(context, 401, null, "Invalid credentials in Authorization header");
            repo = null;
            return false;
        }

        if (!_repos.TryGetValue(id, out repo) || repo.IsPrivate && token is null)
        {
            // The hub answers 401 for both missing and private repositories, so as not to reveal which exist.
            _ = ErrorAsync(context, 401, "RepoNotFound", "Repository not found");
            return false;
        }

        if (repo.Gated && (token is null || !repo.Granted.Contains(token)))
        {
            _ = ErrorAsync(context, token is null ? 401 : 403, "GatedRepo",
                $"Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in.");
            return false;
        }

        return true;
    }

    private static bool FindCommit(HttpContext context, FakeRepo repo, string revision, out string commit)
    {
        if (repo.Branches.TryGetValue(revision, out string? branch))
        {
            commit = branch;
            return true;
        }

        if (repo.Commits.ContainsKey(revision))
        {
            commit = revision;
            return true;
        }

        _ = ErrorAsync(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
        commit = "";
        return false;
    }

    private static Task ErrorAsync(HttpContext context, int status, string? code, string message)
    {
        context.Response.StatusCode = status;
        if (code is not null)
        {
            context.Response.Headers["X-Error-Code"] = code;
        }

        context.Response.Headers["X-Error-Message"] = message;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
    }

    internal static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    internal static string GitBlobId(byte[] content)
    {
        byte[] header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Hex(SHA1.HashData([.. header, .. content]));
    }

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        Hold?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A repository of the fake hub: commits of files, branches and tags naming commits.</summary>
internal sealed class FakeRepo(string id, bool gated, bool isPrivate)
{
    private readonly Dictionary<string, byte[]> _claims = [];

    public string Id { get; } = id;
    public bool Gated { get; } = gated;
    public bool IsPrivate { get; } = isPrivate;
    public HashSet<string> Granted { get; } = [];
    public Dictionary<string, Dictionary<string, byte[]>> Commits { get; } = [];
    public Dictionary<string, string> Branches { get; } = [];

    /// <summary>Weights are LFS files (served through the CDN, checked by SHA-256); the rest are plain git blobs.</summary>
    public bool IsLfs(string file) => file.EndsWith(".safetensors", StringComparison.Ordinal) || file.EndsWith(".bin", StringComparison.Ordinal);

    /// <summary>Adds a commit and points <paramref name="branch"/> at it; returns the commit id.</summary>
    public string AddCommit(string branch, IReadOnlyDictionary<string, byte[]> files)
    {
        string commit = FakeHuggingFaceHub.Hex(SHA1.HashData(Encoding.UTF8.GetBytes($"{Id}:{branch}:{Commits.Count}")));
        Commits[commit] = new Dictionary<string, byte[]>(files);
        Branches[branch] = commit;
        return commit;
    }

    /// <summary>Makes the listing claim other content for a file (so its checksum is wrong).</summary>
    public void Misreport(string commit, string file, byte[] claimed) => _claims[commit + ":" + file] = claimed;

    public byte[]? ClaimedContent(string commit, string file) => _claims.GetValueOrDefault(commit + ":" + file);
}
