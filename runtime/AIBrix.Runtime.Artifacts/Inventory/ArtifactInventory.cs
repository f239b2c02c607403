namespace AIBrix.Runtime.Artifacts.Inventory;

/// <summary>
/// Lists the artifacts under a models folder and where each sits. An artifact is the first folder on a path down from
/// the root that holds a file itself (so <c>org/name</c> layouts and flat ones both work, at most
/// <see cref="MaxDepth"/> levels deep); its files are everything below it except hidden names (the downloader's
/// <c>.cache/aibrix</c> partial files and records, lock files). Its source is the first line of
/// <c>.cache/aibrix/source</c> when the download wrote one (<see cref="RecordSource"/>).
/// </summary>
public sealed class ArtifactInventory(IPageCacheProbe probe, double memoryThreshold = ArtifactInventory.DefaultMemoryThreshold)
{
    /// <summary>Resident fraction from which an artifact counts as in memory.</summary>
    public const double DefaultMemoryThreshold = 0.8;

    /// <summary>How deep below the root an artifact folder may be.</summary>
    public const int MaxDepth = 3;

    /// <summary>Where a download records its source, relative to the artifact folder.</summary>
    public const string SourceRecord = ".cache/aibrix/source";

    /// <summary>Writes <paramref name="source"/> as <paramref name="folder"/>'s recorded source.</summary>
    public static void RecordSource(string folder, string source)
    {
        string path = Path.Combine(folder, SourceRecord);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, source + "\n");
    }

    /// <summary>Scans <paramref name="modelsDir"/> (a missing folder holds nothing).</summary>
    public ArtifactReport Scan(string modelsDir, string? node, DateTimeOffset now)
    {
        var root = new DirectoryInfo(Path.GetFullPath(modelsDir));
        var artifacts = new List<ArtifactEntry>();
        if (root.Exists)
        {
            Collect(root, root, 1, artifacts);
        }

        artifacts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new ArtifactReport(node, root.FullName, probe.Name, now, artifacts);
    }

    private void Collect(DirectoryInfo root, DirectoryInfo folder, int depth, List<ArtifactEntry> artifacts)
    {
        foreach (var child in Visible(folder.EnumerateDirectories()))
        {
            if (Visible(child.EnumerateFiles()).Any())
            {
                artifacts.Add(Describe(root, child));
            }
            else if (depth < MaxDepth)
            {
                Collect(root, child, depth + 1, artifacts);
            }
        }
    }

    private ArtifactEntry Describe(DirectoryInfo root, DirectoryInfo folder)
    {
        int files = 0;
        long bytes = 0;
        long resident = 0;
        bool measured = true;
        foreach (var file in Files(folder))
        {
            files++;
            bytes += file.Length;
            if (measured && probe.ResidentBytes(file.FullName, file.Length) is { } r)
            {
                resident += r;
            }
            else
            {
                measured = false;
            }
        }

        double? fraction = measured ? (bytes == 0 ? 1 : (double)resident / bytes) : null;
        string tier = fraction >= memoryThreshold ? ArtifactTiers.Memory : ArtifactTiers.Disk;
        string name = Path.GetRelativePath(root.FullName, folder.FullName).Replace(Path.DirectorySeparatorChar, '/');
        return new ArtifactEntry(name, SourceOf(folder), folder.FullName, files, bytes, tier, measured ? resident : null,
            fraction is { } f ? Math.Round(f, 4) : null);
    }

    private static IEnumerable<FileInfo> Files(DirectoryInfo folder) =>
        Visible(folder.EnumerateFiles()).Concat(Visible(folder.EnumerateDirectories()).SelectMany(Files));

    // Linked folders are not followed (no loops); linked files are counted, at their target's size.
    private static IEnumerable<T> Visible<T>(IEnumerable<T> entries) where T : FileSystemInfo =>
        entries.Where(e => !e.Name.StartsWith('.') && (e is FileInfo || (e.Attributes & FileAttributes.ReparsePoint) == 0));

    private static string? SourceOf(DirectoryInfo folder)
    {
        string path = Path.Combine(folder.FullName, SourceRecord);
        return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() is { Length: > 0 } s ? s : null : null;
    }
}
