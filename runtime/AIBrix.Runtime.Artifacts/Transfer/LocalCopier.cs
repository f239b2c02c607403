using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// Brings a local folder (or file) into the destination. Each file is hard-linked when
/// <see cref="ArtifactDownloaderOptions.HardLinkLocalFiles"/> is on and both sit on one file system (no bytes
/// move, no space used: the artifact must then be treated as read-only, since both names share the content),
/// else copied through an <c>.incomplete</c> file; either way it appears under its final name by a rename.
/// </summary>
internal sealed partial class LocalCopier(ArtifactLayout layout, ArtifactDownloaderOptions options, DownloadProgress progress, ILogger logger)
{
    public async Task<(int Files, long Bytes)> RunAsync(string source, CancellationToken cancellationToken)
    {
        List<(string Full, string Relative)> files = Enumerate(source);
        long total = files.Sum(f => new FileInfo(f.Full).Length);
        progress.Start(files.Count, total);
        bool link = options.HardLinkLocalFiles && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());
        foreach ((string full, string relative) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(full);
            string version = $"local:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
            if (layout.IsDone(relative, info.Length, version))
            {
                progress.FileSkipped(info.Length);
                continue;
            }

            string incomplete = layout.IncompletePath(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(incomplete)!);
            File.Delete(incomplete);
            if (link && Link(full, incomplete) == 0)
            {
                layout.Finish(incomplete, relative, version, revision: null);
                progress.FileSkipped(info.Length, "linked");
                continue;
            }

            if (link)
            {
                // EXDEV (another file system) or EPERM: copying is the way for the rest.
                Log.LinkFailed(logger, full, Marshal.GetLastPInvokeError());
                link = false;
            }

            await CopyAsync(full, incomplete, cancellationToken).ConfigureAwait(false);
            layout.Finish(incomplete, relative, version, revision: null);
            progress.FileCopied(info.Length);
        }

        return (files.Count, total);
    }

    private static List<(string Full, string Relative)> Enumerate(string source)
    {
        if (File.Exists(source))
        {
            return [(source, Path.GetFileName(source))];
        }

        if (!Directory.Exists(source))
        {
            throw new ArtifactException(ArtifactErrorKind.NotFound, $"local artifact '{source}' does not exist");
        }

        string cache = Path.Combine(source, ArtifactLayout.CacheFolder) + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(cache, StringComparison.Ordinal))
            .Select(f => (f, Path.GetRelativePath(source, f)))
            .Order()
            .ToList();
    }

    private static async Task CopyAsync(string from, string to, CancellationToken cancellationToken)
    {
        var read = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (read.ConfigureAwait(false))
        {
            var write = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await using (write.ConfigureAwait(false))
            {
                await read.CopyToAsync(write, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Cannot hard-link {Path} (errno {Errno}); copying instead")]
        public static partial void LinkFailed(ILogger logger, string path, int errno);
    }
}
