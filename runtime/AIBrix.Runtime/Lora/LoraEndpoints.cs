using System.Collections.Concurrent;
using System.Text.Json;
using AIBrix.EngineMetrics;
using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Engine;
using AIBrix.Runtime.Http;
using AIBrix.Runtime.Metrics;

namespace AIBrix.Runtime.Lora;

/// <summary>
/// AIBrix's adapter routes. <c>POST /v1/lora_adapter/load</c> is direct (<c>lora_name</c> + <c>lora_path</c>: passed to
/// the engine's own API) or delegated (<c>lora_name</c> + <c>artifact_url</c>, with <c>credentials</c> or a mounted
/// <c>credentials_secret</c>: downloaded first, then loaded from the local copy). <c>POST /v1/lora_adapter/unload</c>
/// unloads, and with <c>cleanup_local</c> deletes what a delegated load downloaded.
/// </summary>
internal sealed partial class LoraEndpoints(
    EngineLoraApi lora,
    EngineMetricsPage page,
    RuntimeOptions options,
    RuntimeMetrics metrics,
    IServiceProvider services,
    ILogger<LoraEndpoints> logger)
{
    private static readonly string[] LoadFields = ["lora_name", "lora_path", "artifact_url", "credentials_secret", "credentials", "additional_config", "local_dir"];
    private static readonly string[] UnloadFields = ["lora_name", "lora_int_id", "cleanup_local"];

    // Adapters this runtime downloaded, by name: what cleanup_local may delete (nothing else is ever deleted).
    private readonly ConcurrentDictionary<string, string> _downloaded = new(StringComparer.Ordinal);

    public async Task LoadAsync(HttpContext context)
    {
        var (body, error) = await JsonRequest.ReadAsync(context, LoadFields).ConfigureAwait(false);
        if (body is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        string? name = body.RequiredString("lora_name", ref error);
        string? path = body.String("lora_path", ref error);
        string? artifactUrl = body.String("artifact_url", ref error);
        string? secret = body.String("credentials_secret", ref error);
        var credentials = body.StringMap("credentials", ref error);
        var extra = body.StringMap("additional_config", ref error);
        string? localDir = body.String("local_dir", ref error);
        if (error is null)
        {
            error = (path, artifactUrl) switch
            {
                (null, null) => ApiError.BadRequest("Give 'lora_path' (load from a path the engine can read) or 'artifact_url' (download first).", "missing_required_parameter", "lora_path"),
                ({ }, { }) => ApiError.BadRequest("Give 'lora_path' or 'artifact_url', not both.", "invalid_value", "artifact_url"),
                ({ } p, null) when string.IsNullOrWhiteSpace(p) => ApiError.BadRequest("'lora_path' must not be empty.", "missing_required_parameter", "lora_path"),
                _ => null,
            };
        }

        if (error is not null)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        string? authorization = context.Request.Headers.Authorization;
        var kind = await EngineKindAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (path is not null)
            {
                Log.Direct(logger, name!, path);
                var reply = await lora.LoadAsync(kind, name!, path, authorization, context.RequestAborted).ConfigureAwait(false);
                await reply.WriteAsync(context).ConfigureAwait(false);
                return;
            }

            await DelegatedLoadAsync(context, kind, name!, artifactUrl!, secret, credentials, extra, localDir, authorization).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            await ApiError.EngineUnavailable(e.Message).WriteAsync(context).ConfigureAwait(false);
        }
    }

    public async Task UnloadAsync(HttpContext context)
    {
        var (body, error) = await JsonRequest.ReadAsync(context, UnloadFields).ConfigureAwait(false);
        if (body is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        string? name = body.RequiredString("lora_name", ref error);
        long? intId = body.Integer("lora_int_id", ref error);
        bool cleanupAsked = body.Has("cleanup_local");
        bool cleanup = body.Bool("cleanup_local", false, ref error);
        if (error is not null)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            var kind = await EngineKindAsync(context.RequestAborted).ConfigureAwait(false);
            var reply = await lora.UnloadAsync(kind, name!, intId, context.Request.Headers.Authorization, context.RequestAborted).ConfigureAwait(false);
            if (!reply.IsSuccess || !cleanupAsked)
            {
                await reply.WriteAsync(context).ConfigureAwait(false);
                return;
            }

            string message = $"LoRA adapter '{name}' unloaded.";
            if (cleanup && _downloaded.TryRemove(name!, out string? folder))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                    message += $" Deleted {folder}.";
                }
                catch (DirectoryNotFoundException)
                {
                    message += $" {folder} was already gone.";
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    message += $" Could not delete {folder}: {e.Message}";
                }
            }
            else if (cleanup)
            {
                message += " Nothing to delete: this runtime did not download it.";
            }

            await Results.Json(new { status = "success", message }).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            await ApiError.EngineUnavailable(e.Message).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private async Task DelegatedLoadAsync(
        HttpContext context,
        EngineKind kind,
        string name,
        string artifactUrl,
        string? secret,
        Dictionary<string, string>? credentials,
        Dictionary<string, string>? extra,
        string? localDir,
        string? authorization)
    {
        ApiError? error = null;
        if (!ArtifactSources.IsSafeRelativePath(name) || name.Contains('/'))
        {
            error = ApiError.BadRequest($"'lora_name' must be a plain folder name to download into (no '/' or '..'): '{name}'.", "invalid_value", "lora_name");
        }
        else if (localDir is not null && !Path.IsPathFullyQualified(localDir))
        {
            error = ApiError.BadRequest($"'local_dir' must be an absolute path: '{localDir}'.", "invalid_value", "local_dir");
        }
        else
        {
            _ = ArtifactSources.SourceOf(artifactUrl, "artifact_url", out error);
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        if (error is null && secret is not null && ArtifactSources.ReadSecret(options.SecretsDir, secret, out error) is { } fromSecret)
        {
            foreach (var (k, v) in fromSecret)
            {
                merged[k] = v;
            }
        }

        if (error is not null)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        foreach (var (k, v) in credentials ?? [])
        {
            merged[k] = v;
        }

        if (services.GetService<IArtifactDownloader>() is not { } downloader)
        {
            await ApiError.DownloaderNotConfigured().WriteAsync(context).ConfigureAwait(false);
            return;
        }

        string destination = Path.Combine(localDir ?? Path.Combine(options.ModelsDir, "adapters"), name);
        string? revision = extra is not null && extra.TryGetValue("revision", out string? r) ? r : null;
        DownloadResult result;
        try
        {
            Log.Delegated(logger, name, artifactUrl, destination);
            result = await downloader.DownloadAsync(
                new DownloadRequest(artifactUrl, destination, revision, merged.Count > 0 ? merged : null), context.RequestAborted).ConfigureAwait(false);
            metrics.Download("adapter", "success", result.BytesTransferred);
        }
        catch (ArtifactException e)
        {
            metrics.Download("adapter", KindName(e.Kind), 0);
            Log.DownloadFailed(logger, name, artifactUrl, e.Message);
            await ApiError.FromArtifact(e, "artifact_url").WriteAsync(context).ConfigureAwait(false);
            return;
        }

        _downloaded[name] = result.LocalPath;
        var reply = await lora.LoadAsync(kind, name, result.LocalPath, authorization, context.RequestAborted).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            await reply.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        await Results.Json(new
        {
            status = "success",
            message = reply.Json is null ? reply.Text : $"LoRA adapter '{name}' loaded from {result.LocalPath}.",
            local_path = result.LocalPath,
            engine_response = reply.Json is { ValueKind: JsonValueKind.Object } json ? (object)json : null,
        }).ExecuteAsync(context).ConfigureAwait(false);
    }

    // With --engine auto the page says which engine this is; before the first page, vLLM (AIBrix's default).
    private async Task<EngineKind> EngineKindAsync(CancellationToken ct)
    {
        if (page.Engine is { } known)
        {
            return known;
        }

        await page.GetAsync(ct).ConfigureAwait(false);
        return page.Engine ?? EngineKind.Vllm;
    }

    internal static string KindName(ArtifactErrorKind kind) => kind switch
    {
        ArtifactErrorKind.BadSource => "bad_source",
        ArtifactErrorKind.NotFound => "not_found",
        ArtifactErrorKind.Unauthorized => "unauthorized",
        ArtifactErrorKind.ChecksumMismatch => "checksum_mismatch",
        _ => "unavailable",
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loading adapter {Name} from {Path} (direct)")]
        public static partial void Direct(ILogger logger, string name, string path);

        [LoggerMessage(2, LogLevel.Information, "Loading adapter {Name} from {Url} (delegated, into {Destination})")]
        public static partial void Delegated(ILogger logger, string name, string url, string destination);

        [LoggerMessage(3, LogLevel.Warning, "Download of adapter {Name} from {Url} failed: {Reason}")]
        public static partial void DownloadFailed(ILogger logger, string name, string url, string reason);
    }
}
