using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// One file being fetched in chunks into its <c>.incomplete</c> file. Each chunk is written front to back, so "bytes
/// done" per chunk describes it fully; those counts are appended to the <c>.progress</c> file (after the data is
/// written), and a later attempt, in this process or the next, starts each chunk where it stopped. The progress
/// file's first line names the file's size, chunk size and version: a change in any starts over.
/// </summary>
internal sealed class PartialFile : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter _progress;
    private readonly long[] _done;
    private int _chunksLeft;

    private PartialFile(string incompletePath, long size, long chunkBytes, long[] done, SafeFileHandle handle, StreamWriter progress)
    {
        IncompletePath = incompletePath;
        Size = size;
        ChunkBytes = chunkBytes;
        _done = done;
        Handle = handle;
        _progress = progress;
        for (int i = 0; i < done.Length; i++)
        {
            done[i] = Math.Min(done[i], ChunkLength(i));
            if (done[i] < ChunkLength(i))
            {
                _chunksLeft++;
            }
        }
    }

    public string IncompletePath { get; }

    public long Size { get; }

    public long ChunkBytes { get; }

    public SafeFileHandle Handle { get; }

    public int ChunkCount => _done.Length;

    /// <summary>Bytes already present from earlier attempts.</summary>
    public long ResumedBytes { get; private set; }

    public bool IsComplete => Volatile.Read(ref _chunksLeft) == 0;

    public long ChunkOffset(int index) => index * ChunkBytes;

    public long ChunkLength(int index) => Math.Min(ChunkBytes, Size - ChunkOffset(index));

    public long DoneOf(int index) => Volatile.Read(ref _done[index]);

    /// <summary>Opens (or resumes) the partial file of a <paramref name="size"/>-byte file at <paramref name="version"/>.</summary>
    public static PartialFile Open(string incompletePath, string progressPath, long size, long chunkBytes, string version)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(incompletePath)!);
        int chunks = size == 0 ? 0 : (int)((size + chunkBytes - 1) / chunkBytes);
        var done = new long[chunks];
        string header = string.Create(CultureInfo.InvariantCulture, $"v1 {size} {chunkBytes} {version}");
        bool resumed = File.Exists(incompletePath) && File.Exists(progressPath) && ReadProgress(progressPath, header, done);
        if (!resumed)
        {
            Array.Clear(done);
            File.Delete(incompletePath);
        }

        SafeFileHandle handle = File.OpenHandle(incompletePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        StreamWriter? writer = null;
        try
        {
            RandomAccess.SetLength(handle, size);
            writer = new StreamWriter(progressPath, append: resumed) { AutoFlush = true };
            // A resumed log starts on a fresh line, so a line torn by a crash cannot merge with the next one.
            writer.WriteLine(resumed ? "" : header);

            var file = new PartialFile(incompletePath, size, chunkBytes, done, handle, writer);
            file.ResumedBytes = done.Sum();
            return file;
        }
        catch
        {
            writer?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Counts <paramref name="bytes"/> more done in chunk <paramref name="index"/> (already written).
    /// Returns true when this completed the whole file.</summary>
    public bool Advance(int index, long bytes)
    {
        long now = Interlocked.Add(ref _done[index], bytes);
        return now == ChunkLength(index) && Interlocked.Decrement(ref _chunksLeft) == 0;
    }

    /// <summary>Appends chunk <paramref name="index"/>'s count to the progress file.</summary>
    public void Record(int index)
    {
        lock (_gate)
        {
            _progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{index} {DoneOf(index)}"));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _progress.Dispose();
        }

        Handle.Dispose();
    }

    private static bool ReadProgress(string progressPath, string header, long[] done)
    {
        using var reader = new StreamReader(progressPath);
        if (reader.ReadLine() != header)
        {
            return false;
        }

        while (reader.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ');
            // A torn last line (a crash mid-write) is ignored: its chunk restarts from its previous count.
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int index)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out long bytes)
                && index >= 0 && index < done.Length && bytes >= 0)
            {
                done[index] = Math.Max(done[index], bytes);
            }
        }

        return true;
    }
}
