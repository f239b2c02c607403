namespace AIBrix.Runtime.Artifacts;

/// <summary>How <see cref="IArtifactDownloader"/> implementations fetch: the settings the runtime's command line
/// and environment feed in. Defaults are what a sidecar beside one engine wants.</summary>
public sealed record ArtifactDownloaderOptions
{
    /// <summary>Files fetched at once, and ranges of one large file fetched at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Size of one ranged request of a large file.</summary>
    public long ChunkBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Hugging Face Hub base address; null reads <c>HF_ENDPOINT</c>, else https://huggingface.co.</summary>
    public Uri? HuggingFaceEndpoint { get; init; }

    /// <summary>Hugging Face token; null reads <c>HF_TOKEN</c> (a request's credentials win over both).</summary>
    public string? HuggingFaceToken { get; init; }

    /// <summary>Folder of the per-node lock files, so that two pods on one node fetch a file once; null puts them
    /// beside the destination.</summary>
    public string? LockDirectory { get; init; }

    /// <summary>Retries of one failed transfer (a cut connection resumes where it stopped).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Local sources: hard-link files into the destination when both are on one file system (no copy,
    /// no space; the files then share content, so treat them as read-only), else copy. False always copies.</summary>
    public bool HardLinkLocalFiles { get; init; } = true;

    /// <summary>Longest wait for a response's headers or for the next bytes of a body before the transfer counts
    /// as broken and is retried from where it stopped (a stalled connection otherwise hangs for ever).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
