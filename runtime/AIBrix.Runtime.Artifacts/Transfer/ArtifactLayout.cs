namespace AIBrix.Runtime.Artifacts.Transfer;

/// <summary>
/// Where a download keeps its files. Finished files sit at their final names under the destination; everything in
/// flight lives under <c>{destination}/.cache/aibrix/</c> (as huggingface_hub's local-dir downloads keep theirs under
/// <c>.cache/huggingface/</c>), so an engine reading the folder never sees a partial file:
/// <c>{path}.incomplete</c> (the data), <c>{path}.progress</c> (which ranges are done) and <c>{path}.metadata</c>
/// (the version of the finished file, so a later call can skip it).
/// </summary>
internal sealed class ArtifactLayout(string destination)
{
    public const string CacheFolder = ".cache/aibrix";

    public string Destination { get; } = Path.GetFullPath(destination);

    public string FinalPath(string relative) => Path.Combine(Destination, relative);

    public string IncompletePath(string relative) => CachePath(relative) + ".incomplete";

    public string ProgressPath(string relative) => CachePath(relative) + ".progress";

    public string MetadataPath(string relative) => CachePath(relative) + ".metadata";

    private string CachePath(string relative) => Path.Combine(Destination, CacheFolder, relative);

    /// <summary>True when <paramref name="relative"/> is already here at <paramref name="version"/> and size.</summary>
    public bool IsDone(string relative, long size, string version)
    {
        var final = new FileInfo(FinalPath(relative));
        if (!final.Exists || final.Length != size)
        {
            return false;
        }

        string metadata = MetadataPath(relative);
        return File.Exists(metadata) && File.ReadLines(metadata).FirstOrDefault() == version;
    }

    /// <summary>Moves the finished <paramref name="source"/> to its final name (an atomic rename on one file
    /// system), then records its version.</summary>
    public void Finish(string source, string relative, string version, string? revision)
    {
        string final = FinalPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(source, final, overwrite: true);

        // The record is written after the rename: a crash between the two only costs a re-download.
        string metadata = MetadataPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(metadata)!);
        string temporary = metadata + ".tmp";
        File.WriteAllText(temporary, $"{version}\n{revision}\n{DateTimeOffset.UtcNow:O}\n");
        File.Move(temporary, metadata, overwrite: true);
    }
}
