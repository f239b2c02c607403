using System.Collections.Concurrent;
using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Lora;
using AIBrix.Runtime.Metrics;

namespace AIBrix.Runtime.Models;

/// <summary>
/// Model downloads this runtime started (by destination folder, so two requests for one folder share one download)
/// and the models its folder holds. Downloads run in the background, as AIBrix's do: the request answers at once with
/// the model's status, and <c>/v1/model/list</c> shows it move from downloading to downloaded (or failed).
/// </summary>
internal sealed partial class ModelStore(RuntimeOptions options, RuntimeMetrics metrics, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<ModelStore> logger)
{
    public const string Downloading = "downloading";
    public const string Downloaded = "downloaded";
    public const string Failed = "failed";

    private readonly ConcurrentDictionary<string, ModelDownload> _downloads = new(StringComparer.Ordinal);
    private readonly Lock _startLock = new();

    /// <summary>Whether a downloader is registered.</summary>
    public bool CanDownload => services.GetService<IArtifactDownloader>() is not null;

    /// <summary>Starts (or joins) the download of <paramref name="request"/> into its destination.</summary>
    public ModelDownload Start(string modelName, string source, DownloadRequest request)
    {
        var downloader = services.GetRequiredService<IArtifactDownloader>();
        // A lock, not AddOrUpdate: its factories may run twice under a race, and each would start a download.
        lock (_startLock)
        {
            if (_downloads.TryGetValue(request.Destination, out var existing) && existing.Status != Failed)
            {
                return existing;
            }

            var download = Begin(downloader, modelName, source, request);
            _downloads[request.Destination] = download;
            return download;
        }
    }

    /// <summary>The models under the models folder: what this runtime downloaded, and folders with files found there.</summary>
    public IReadOnlyList<ModelDownload> List()
    {
        var byPath = new Dictionary<string, ModelDownload>(StringComparer.Ordinal);
        foreach (var download in _downloads.Values)
        {
            byPath[download.RootPath] = download;
        }

        foreach (var (name, path) in FoldersWithFiles(options.ModelsDir))
        {
            byPath.TryAdd(path, ModelDownload.Found(name, path));
        }

        return [.. byPath.Values.OrderBy(d => d.ModelName, StringComparer.Ordinal)];
    }

    private ModelDownload Begin(IArtifactDownloader downloader, string modelName, string source, DownloadRequest request)
    {
        var download = new ModelDownload(modelName, request.Destination, source);
        download.Task = Task.Run(async () =>
        {
            try
            {
                Log.Started(logger, modelName, request.Source, request.Destination);
                var result = await downloader.DownloadAsync(request, lifetime.ApplicationStopping).ConfigureAwait(false);
                metrics.Download("model", "success", result.BytesTransferred);
                download.Status = Downloaded;
                Log.Finished(logger, modelName, result.Files, result.Bytes, result.Elapsed.TotalSeconds);
            }
            catch (ArtifactException e)
            {
                metrics.Download("model", LoraEndpoints.KindName(e.Kind), 0);
                download.Fail(e);
                Log.Failed(logger, modelName, e.Message);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or UnauthorizedAccessException)
            {
                var wrapped = new ArtifactException(ArtifactErrorKind.Unavailable, e.Message, e);
                metrics.Download("model", "unavailable", 0);
                download.Fail(wrapped);
                Log.Failed(logger, modelName, e.Message);
            }
        });
        return download;
    }

    // A model is a folder with files in it; AIBrix's layout puts Hugging Face models one level deeper (org/name).
    private static IEnumerable<(string Name, string Path)> FoldersWithFiles(string root)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (string first in SafeDirectories(root))
        {
            if (HasFiles(first))
            {
                yield return (Path.GetFileName(first), first);
                continue;
            }

            foreach (string second in SafeDirectories(first))
            {
                if (HasFiles(second))
                {
                    yield return (Path.GetFileName(first) + "/" + Path.GetFileName(second), second);
                }
            }
        }
    }

    private static IEnumerable<string> SafeDirectories(string folder)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool HasFiles(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder).Any(f => !Path.GetFileName(f).StartsWith('.'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Downloading model {Name} from {Source} into {Destination}")]
        public static partial void Started(ILogger logger, string name, string source, string destination);

        [LoggerMessage(2, LogLevel.Information, "Downloaded model {Name}: {Files} files, {Bytes} bytes in {Seconds:0.0} s")]
        public static partial void Finished(ILogger logger, string name, int files, long bytes, double seconds);

        [LoggerMessage(3, LogLevel.Warning, "Download of model {Name} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string name, string reason);
    }
}

/// <summary>One model: AIBrix's <c>ModelStatusCard</c> fields, and the download behind it when there is one.</summary>
internal sealed class ModelDownload(string modelName, string rootPath, string source)
{
    public string ModelName { get; } = modelName;

    public string RootPath { get; } = rootPath;

    public string Source { get; } = source;

    public volatile string Status = ModelStore.Downloading;

    public ArtifactException? Error { get; private set; }

    public Task Task { get; set; } = Task.CompletedTask;

    public static ModelDownload Found(string name, string path) => new(name, path, "local") { Status = ModelStore.Downloaded };

    public void Fail(ArtifactException error)
    {
        Error = error;
        Status = ModelStore.Failed;
    }

    public object Card() => Error is null
        ? new { model_name = ModelName, model_root_path = RootPath, source = Source, model_status = Status }
        : new { model_name = ModelName, model_root_path = RootPath, source = Source, model_status = Status, error = Error.Message };
}
