using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// One download's counters: feeds the metrics as bytes arrive and logs a progress line every
/// <see cref="Interval"/> (bytes, files, rate) plus one per finished file.
/// </summary>
internal sealed partial class DownloadProgress : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly string _source;
    private readonly KeyValuePair<string, object?> _sourceTag;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task _reporter = Task.CompletedTask;
    private long _transferred;
    private long _bytesDone;
    private long _totalBytes;
    private int _filesDone;
    private int _totalFiles;

    public DownloadProgress(ILogger logger, string source, string kind)
    {
        _logger = logger;
        _source = source;
        _sourceTag = new("source", kind);
    }

    public long BytesTransferred => Interlocked.Read(ref _transferred);

    /// <summary>Starts the periodic log line for <paramref name="files"/> files of <paramref name="bytes"/> bytes.</summary>
    public void Start(int files, long bytes)
    {
        _totalFiles = files;
        _totalBytes = bytes;
        Log.Starting(_logger, _source, files, bytes);
        _reporter = ReportAsync(_stop.Token);
    }

    public void Transferred(long bytes)
    {
        Interlocked.Add(ref _transferred, bytes);
        Interlocked.Add(ref _bytesDone, bytes);
        ArtifactMetrics.Bytes.Add(bytes, _sourceTag);
    }

    /// <summary>Counts a fetched file, whose bytes came through <see cref="Transferred"/>.</summary>
    public void FileDone(string path, long size)
    {
        Interlocked.Increment(ref _filesDone);
        ArtifactMetrics.Files.Add(1, _sourceTag, new("outcome", "downloaded"));
        Log.FileDone(_logger, path, size);
    }

    /// <summary>Counts a file that needed no transfer (<paramref name="outcome"/>: skipped or linked).</summary>
    public void FileSkipped(long size, string outcome = "skipped")
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, size);
        ArtifactMetrics.Files.Add(1, _sourceTag, new("outcome", outcome));
    }

    /// <summary>Counts a local file copied (its bytes counted as transferred).</summary>
    public void FileCopied(long size)
    {
        Interlocked.Increment(ref _filesDone);
        Transferred(size);
        ArtifactMetrics.Files.Add(1, _sourceTag, new("outcome", "copied"));
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
                double seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds);
                Log.Progress(_logger, _source, Volatile.Read(ref _filesDone), _totalFiles, Interlocked.Read(ref _bytesDone), _totalBytes,
                    BytesTransferred / seconds / (1024 * 1024));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reporter.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "Downloading {Source}: {Files} files, {Bytes} bytes")]
        public static partial void Starting(ILogger logger, string source, int files, long bytes);

        [LoggerMessage(21, LogLevel.Information, "Downloading {Source}: {FilesDone}/{Files} files, {BytesDone}/{Bytes} bytes, {MiBPerSecond:F1} MiB/s")]
        public static partial void Progress(ILogger logger, string source, int filesDone, int files, long bytesDone, long bytes, double miBPerSecond);

        [LoggerMessage(22, LogLevel.Debug, "Fetched {Path} ({Size} bytes)")]
        public static partial void FileDone(ILogger logger, string path, long size);
    }
}
