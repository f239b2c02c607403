using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// A per-destination lock shared by every process on the node: an exclusive OS file lock (<c>flock</c> on Linux,
/// which .NET takes for <see cref="FileShare.None"/>) on a file named after the destination. A second downloader of the
/// same destination waits here, then finds the files done. The OS drops the lock when its holder dies, so a killed pod
/// never wedges the node.
/// </summary>
internal sealed partial class DownloadLock : IDisposable
{
    private readonly FileStream _stream;

    private DownloadLock(FileStream stream) => _stream = stream;

    public static string PathFor(string destination, string? lockDirectory)
    {
        string full = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar);
        if (lockDirectory is null)
        {
            return Path.Combine(Path.GetDirectoryName(full) ?? full, "." + Path.GetFileName(full) + ".lock");
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return Path.Combine(lockDirectory, $"{Path.GetFileName(full)}-{hash}.lock");
    }

    public static async Task<DownloadLock> AcquireAsync(string path, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        bool logged = false;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new DownloadLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!logged)
                {
                    Log.Waiting(logger, path);
                    logged = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * (attempt + 1))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Another downloader holds {LockPath}; waiting for it to finish")]
        public static partial void Waiting(ILogger logger, string lockPath);
    }
}
