using System.Diagnostics;
using AIBrix.Runtime.Artifacts.Sources;
using AIBrix.Runtime.Artifacts.Transfer;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Runtime.Artifacts;

/// <summary>
/// Downloads artifacts from the Hugging Face Hub, S3-compatible stores and local paths (see
/// <see cref="IArtifactDownloader"/> for the URI forms): parallel ranged fetches, resume from kept partial files,
/// checksum verification where the source offers one, a node-wide lock per destination, and files that appear under
/// their final names only when complete. Thread-safe; one instance serves the whole process.
/// </summary>
public sealed partial class ArtifactDownloader : IArtifactDownloader, IDisposable
{
    private static readonly Uri DefaultHuggingFaceEndpoint = new("https://huggingface.co/");

    private readonly ArtifactDownloaderOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    /// <param name="options">How to fetch (validated here).</param>
    /// <param name="loggerFactory">Logs progress and retries; null logs nothing.</param>
    /// <param name="handler">The HTTP handler for Hugging Face requests (tests, proxies); null builds one. It must not
    /// follow redirects itself if the token is to stay off CDN hosts. Not disposed by the downloader.</param>
    public ArtifactDownloader(ArtifactDownloaderOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid downloader options: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ArtifactDownloader>();
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = int.MaxValue,
                ConnectTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        // A chunk of a slow link may take long: ReadTimeout bounds each wait for bytes instead of the whole call.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("aibrix-runtime/1.0 (+https://github.com/vllm-project/aibrix)");
    }

    /// <summary>The problems with <paramref name="options"/>, all of them; empty when fine.</summary>
    public static List<string> Validate(ArtifactDownloaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Parallelism is < 1 or > 256)
        {
            errors.Add($"Parallelism must be 1-256 (got {options.Parallelism})");
        }

        if (options.ChunkBytes < 64 * 1024)
        {
            errors.Add($"ChunkBytes must be at least 65536 (got {options.ChunkBytes})");
        }

        if (options.ReadTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ReadTimeout must be positive (got {options.ReadTimeout})");
        }

        if (options.MaxRetries < 0)
        {
            errors.Add($"MaxRetries must be 0 or more (got {options.MaxRetries})");
        }

        if (options.HuggingFaceEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"HuggingFaceEndpoint must be an absolute http(s) URL (got {endpoint})");
        }

        return errors;
    }

    /// <inheritdoc />
    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long started = Stopwatch.GetTimestamp();
        string kind = "unknown";
        string outcome = "unavailable";
        try
        {
            ArtifactSource source = ArtifactSourceParser.Parse(request.Source);
            kind = source.Kind;
            if (string.IsNullOrWhiteSpace(request.Destination))
            {
                throw new ArtifactException(ArtifactErrorKind.BadSource, "the destination folder is empty");
            }

            var layout = new ArtifactLayout(request.Destination);
            if (source is LocalSource local && string.Equals(Path.GetFullPath(local.Path).TrimEnd('/'), layout.Destination.TrimEnd('/'), StringComparison.Ordinal))
            {
                // Already where it should be: nothing to bring.
                List<FileInfo> here = Directory.Exists(local.Path) ? new DirectoryInfo(local.Path).EnumerateFiles("*", SearchOption.AllDirectories).ToList() : [];
                outcome = "ok";
                return new DownloadResult(layout.Destination, here.Count, here.Sum(f => f.Length), 0, Stopwatch.GetElapsedTime(started));
            }

            DownloadResult result = await RunLockedAsync(request, source, layout, cancellationToken).ConfigureAwait(false);
            outcome = "ok";
            return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        catch (ArtifactException e)
        {
            outcome = ArtifactMetrics.OutcomeOf(e.Kind);
            Log.Failed(_logger, request.Source, outcome, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Failed(_logger, request.Source, outcome, e.Message);
            throw new ArtifactException(ArtifactErrorKind.Unavailable, $"writing {request.Source} into '{request.Destination}' failed: {e.Message}", e);
        }
        finally
        {
            var sourceTag = new KeyValuePair<string, object?>("source", kind);
            var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
            ArtifactMetrics.Downloads.Add(1, sourceTag, outcomeTag);
            ArtifactMetrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, sourceTag, outcomeTag);
        }
    }

    private async Task<DownloadResult> RunLockedAsync(DownloadRequest request, ArtifactSource source, ArtifactLayout layout, CancellationToken cancellationToken)
    {
        string lockPath = DownloadLock.PathFor(layout.Destination, _options.LockDirectory);
        using DownloadLock held = await DownloadLock.AcquireAsync(lockPath, _logger, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(layout.Destination);
        var progress = new DownloadProgress(_logger, request.Source, source.Kind);
        await using (progress.ConfigureAwait(false))
        {
            (int files, long bytes) = source switch
            {
                LocalSource local => await new LocalCopier(layout, _options, progress, _logger).RunAsync(local.Path, cancellationToken).ConfigureAwait(false),
                HuggingFaceSource hf => await FetchAsync(HuggingFace(hf, request), layout, progress, cancellationToken).ConfigureAwait(false),
                S3Source s3 => await FetchS3Async(s3, request, layout, progress, cancellationToken).ConfigureAwait(false),
                _ => throw new ArtifactException(ArtifactErrorKind.BadSource, $"unsupported source {request.Source}"),
            };
            Log.Done(_logger, request.Source, layout.Destination, files, bytes, progress.BytesTransferred);
            return new DownloadResult(layout.Destination, files, bytes, progress.BytesTransferred, TimeSpan.Zero);
        }
    }

    private async Task<(int, long)> FetchAsync(IRemoteStore store, ArtifactLayout layout, DownloadProgress progress, CancellationToken cancellationToken)
    {
        RemoteManifest manifest = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        progress.Start(manifest.Files.Count, manifest.Files.Sum(f => f.Size));
        return await new RemoteTransfer(store, layout, _options, progress, _logger).RunAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int, long)> FetchS3Async(S3Source s3, DownloadRequest request, ArtifactLayout layout, DownloadProgress progress, CancellationToken cancellationToken)
    {
        using AmazonS3Client client = S3Store.CreateClient(name => Setting(request, name));
        return await FetchAsync(new S3Store(client, s3.Bucket, s3.Prefix), layout, progress, cancellationToken).ConfigureAwait(false);
    }

    private HuggingFaceStore HuggingFace(HuggingFaceSource hf, DownloadRequest request)
    {
        Uri endpoint = _options.HuggingFaceEndpoint ?? DefaultHuggingFaceEndpoint;
        if (Setting(request, "HF_ENDPOINT") is { } configured && (_options.HuggingFaceEndpoint is null || request.Credentials?.ContainsKey("HF_ENDPOINT") == true))
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out Uri? parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new ArtifactException(ArtifactErrorKind.BadSource, $"HF_ENDPOINT '{configured}' is not an http(s) URL");
            }

            endpoint = parsed;
        }

        // The hub may sit under a path (a mirror at https://host/hf): relative URIs need the trailing slash.
        if (!endpoint.AbsoluteUri.EndsWith('/'))
        {
            endpoint = new Uri(endpoint.AbsoluteUri + "/");
        }

        string? token = request.Credentials?.GetValueOrDefault("HF_TOKEN") ?? _options.HuggingFaceToken
            ?? Environment.GetEnvironmentVariable("HF_TOKEN") ?? Environment.GetEnvironmentVariable("HUGGING_FACE_HUB_TOKEN");
        return new HuggingFaceStore(_http, endpoint, hf.Repo, request.Revision, string.IsNullOrWhiteSpace(token) ? null : token.Trim());
    }

    /// <summary>A setting from the request's credentials, else the process environment.</summary>
    private static string? Setting(DownloadRequest request, string name)
    {
        string? value = request.Credentials is { } credentials
            ? credentials.GetValueOrDefault(name)
            : null;
        value ??= Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Releases the HTTP client (and the handler the downloader built).</summary>
    public void Dispose() => _http.Dispose();

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "Downloaded {Source} into {Destination}: {Files} files, {Bytes} bytes, {Transferred} bytes transferred")]
        public static partial void Done(ILogger logger, string source, string destination, int files, long bytes, long transferred);

        [LoggerMessage(41, LogLevel.Warning, "Download of {Source} failed ({Outcome}): {Reason}")]
        public static partial void Failed(ILogger logger, string source, string outcome, string reason);
    }
}
