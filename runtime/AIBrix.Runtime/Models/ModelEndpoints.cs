using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Engine;
using AIBrix.Runtime.Http;

namespace AIBrix.Runtime.Models;

/// <summary>
/// <c>POST /v1/model/download</c> (AIBrix's <c>DownloadModelRequest</c>: <c>model_uri</c>, <c>local_dir</c>,
/// <c>model_name</c>, <c>download_extra_config</c>; answers a <c>ModelStatusCard</c>), <c>GET /v1/model/list</c>
/// (what the models folder holds) and <c>GET /v1/models</c> (the engine's own list, passed through).
/// <c>?wait=true</c> on a download answers when it has finished, with the downloader's error as the status.
/// </summary>
internal sealed class ModelEndpoints(ModelStore store, EngineClient engine, RuntimeOptions options)
{
    private static readonly string[] DownloadFields = ["model_uri", "local_dir", "model_name", "download_extra_config"];

    public async Task DownloadAsync(HttpContext context)
    {
        var (body, error) = await JsonRequest.ReadAsync(context, DownloadFields).ConfigureAwait(false);
        if (body is null)
        {
            await error!.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        string? uri = body.RequiredString("model_uri", ref error);
        string? localDir = body.String("local_dir", ref error);
        string? modelName = body.String("model_name", ref error);
        var extra = body.StringMap("download_extra_config", ref error);
        string? source = null;
        if (error is null)
        {
            source = ArtifactSources.SourceOf(uri!, "model_uri", out error);
        }

        modelName ??= uri is null ? null : ArtifactSources.LastSegment(uri);
        if (error is null && (modelName is null || !ArtifactSources.IsSafeRelativePath(modelName)))
        {
            error = ApiError.BadRequest($"'model_name' must be folder names under the models folder (no '..', not absolute): '{modelName}'.", "invalid_value", "model_name");
        }

        if (error is null && localDir is not null && !Path.IsPathFullyQualified(localDir))
        {
            error = ApiError.BadRequest($"'local_dir' must be an absolute path: '{localDir}'.", "invalid_value", "local_dir");
        }

        if (error is not null)
        {
            await error.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!store.CanDownload)
        {
            await ApiError.DownloaderNotConfigured().WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var credentials = extra?.Where(p => p.Key != "revision").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var request = new DownloadRequest(
            uri!,
            Path.Combine(localDir ?? options.ModelsDir, modelName!),
            extra is not null && extra.TryGetValue("revision", out string? revision) ? revision : null,
            credentials is { Count: > 0 } ? credentials : null);
        var download = store.Start(modelName!, source!, request);
        if (string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                await download.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (download.Error is { } failure)
            {
                await ApiError.FromArtifact(failure, "model_uri").WriteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        await Results.Json(download.Card()).ExecuteAsync(context).ConfigureAwait(false);
    }

    public Task ListAsync(HttpContext context) =>
        Results.Json(new { @object = "list", data = store.List().Select(d => d.Card()).ToArray() }).ExecuteAsync(context);

    public async Task EngineModelsAsync(HttpContext context)
    {
        try
        {
            var reply = await engine.SendAsync(HttpMethod.Get, "v1/models", null, context.Request.Headers.Authorization, options.ScrapeTimeout * 5, context.RequestAborted).ConfigureAwait(false);
            await reply.WriteAsync(context).ConfigureAwait(false);
        }
        catch (EngineUnavailableException e)
        {
            await ApiError.EngineUnavailable(e.Message).WriteAsync(context).ConfigureAwait(false);
        }
    }
}
