using System.Buffers;
using AIBrix.Runtime.Artifacts.Sources;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// Fetches a remote manifest into a destination: every file cut into <see cref="ArtifactDownloaderOptions.ChunkBytes"/>
/// ranges, all ranges of all files fetched <see cref="ArtifactDownloaderOptions.Parallelism"/> at a time, each range
/// retried from where it stopped, each file verified and renamed into place when its last range lands.
/// </summary>
internal sealed partial class RemoteTransfer(
    IRemoteStore store, ArtifactLayout layout, ArtifactDownloaderOptions options, DownloadProgress progress, ILogger logger)
{
    private const int BufferBytes = 256 * 1024;

    public async Task<(int Files, long Bytes)> RunAsync(RemoteManifest manifest, CancellationToken cancellationToken)
    {
        var open = new List<(RemoteFile File, PartialFile Partial)>();
        try
        {
            var work = new List<(RemoteFile File, PartialFile Partial, int Chunk)>();
            foreach (RemoteFile file in manifest.Files)
            {
                if (layout.IsDone(file.Path, file.Size, file.Version))
                {
                    progress.FileSkipped(file.Size);
                    continue;
                }

                PartialFile partial = PartialFile.Open(layout.IncompletePath(file.Path), layout.ProgressPath(file.Path),
                    file.Size, Math.Max(1, options.ChunkBytes), file.Version);
                open.Add((file, partial));
                if (partial.ResumedBytes > 0)
                {
                    Log.Resuming(logger, file.Path, partial.ResumedBytes, file.Size);
                }

                if (partial.IsComplete)
                {
                    Finish(manifest, file, partial);
                    continue;
                }

                for (int chunk = 0; chunk < partial.ChunkCount; chunk++)
                {
                    if (partial.DoneOf(chunk) < partial.ChunkLength(chunk))
                    {
                        work.Add((file, partial, chunk));
                    }
                }
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
            {
                if (await FetchChunkAsync(manifest, item.File, item.Partial, item.Chunk, ct).ConfigureAwait(false))
                {
                    Finish(manifest, item.File, item.Partial);
                }
            }).ConfigureAwait(false);

            return (manifest.Files.Count, manifest.Files.Sum(f => f.Size));
        }
        finally
        {
            foreach ((_, PartialFile partial) in open)
            {
                partial.Dispose();
            }
        }
    }

    /// <summary>Fetches what is missing of one chunk; true when that completed its file.</summary>
    private async Task<bool> FetchChunkAsync(RemoteManifest manifest, RemoteFile file, PartialFile partial, int chunk, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        int failures = 0;
        try
        {
            while (true)
            {
                long done = partial.DoneOf(chunk);
                long left = partial.ChunkLength(chunk) - done;
                long at = partial.ChunkOffset(chunk) + done;
                // Re-armed before every wait: a stalled connection fails after ReadTimeout and is retried from here.
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                try
                {
                    stall.CancelAfter(options.ReadTimeout);
                    await using Stream body = await store.OpenRangeAsync(manifest, file, at, left, stall.Token).ConfigureAwait(false);
                    while (left > 0)
                    {
                        stall.CancelAfter(options.ReadTimeout);
                        int n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            throw new IOException($"the connection ended {left} bytes short of the range");
                        }

                        await RandomAccess.WriteAsync(partial.Handle, buffer.AsMemory(0, n), at, cancellationToken).ConfigureAwait(false);
                        at += n;
                        left -= n;
                        progress.Transferred(n);
                        if (partial.Advance(chunk, n))
                        {
                            return true;
                        }
                    }

                    return false;
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    // Progress since the last failure earns a fresh set of retries: a slow, flaky link still finishes.
                    failures = partial.DoneOf(chunk) > done ? 1 : failures + 1;
                    string reason = e is OperationCanceledException ? $"no data for {options.ReadTimeout.TotalSeconds:F0} s" : e.Message;
                    if (failures > options.MaxRetries)
                    {
                        throw new ArtifactException(ArtifactErrorKind.Unavailable,
                            $"fetching '{file.Path}' failed {failures} times in a row; last: {reason}", e);
                    }

                    TimeSpan delay = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6))));
                    Log.Retrying(logger, file.Path, partial.DoneOf(chunk) + partial.ChunkOffset(chunk), failures, options.MaxRetries, delay.TotalMilliseconds, reason);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Noted on every way out (done, cut, cancelled): a later attempt, even in a new process, resumes here.
                    partial.Record(chunk);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Finish(RemoteManifest manifest, RemoteFile file, PartialFile partial)
    {
        if (file.Checksum is { } expected)
        {
            string actual = Checksums.OfFile(partial.IncompletePath, file.Size, expected.Algorithm);
            if (!string.Equals(actual, expected.Hex, StringComparison.OrdinalIgnoreCase))
            {
                partial.Dispose();
                File.Delete(partial.IncompletePath);
                File.Delete(layout.ProgressPath(file.Path));
                throw new ArtifactException(ArtifactErrorKind.ChecksumMismatch,
                    $"'{file.Path}' fails its {expected.Algorithm} check: the source says {expected.Hex}, the bytes give {actual}; the file was removed");
            }
        }

        layout.Finish(partial.IncompletePath, file.Path, file.Version, manifest.Revision);
        File.Delete(layout.ProgressPath(file.Path));
        progress.FileDone(file.Path, file.Size);
    }

    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        ArtifactException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsTransient(inner, cancellationToken),
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Resuming {Path}: {Done} of {Size} bytes already here")]
        public static partial void Resuming(ILogger logger, string path, long done, long size);

        [LoggerMessage(2, LogLevel.Warning, "Fetching {Path} broke at byte {At} (failure {Failure} of {MaxRetries}); retrying in {DelayMs} ms: {Reason}")]
        public static partial void Retrying(ILogger logger, string path, long at, int failure, int maxRetries, double delayMs, string reason);
    }
}
