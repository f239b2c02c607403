namespace AIBrix.Runtime.Artifacts;

/// <summary>
/// Fetches one artifact (a model or a LoRA adapter: a folder of files) from its source into a local folder.
/// The source is a URI: <c>huggingface://org/name</c> (or <c>hf://</c>), <c>s3://bucket/prefix</c>, or a local path.
/// </summary>
public interface IArtifactDownloader
{
    /// <summary>Downloads <paramref name="request"/>'s source into its destination and says what it did.</summary>
    /// <exception cref="ArtifactException">The source is unknown, unreachable, refuses the credentials, or a file
    /// fails its checksum; the message says which.</exception>
    Task<DownloadResult> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What to fetch and where to put it.</summary>
/// <param name="Source">The artifact's URI (see <see cref="IArtifactDownloader"/>).</param>
/// <param name="Destination">The local folder the files land in (created when missing).</param>
/// <param name="Revision">A Hugging Face revision (branch, tag or commit); null for the default branch.</param>
/// <param name="Credentials">Source credentials by name (e.g. <c>HF_TOKEN</c>, <c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_ENDPOINT_URL</c>); null to use the process environment.</param>
public sealed record DownloadRequest(
    string Source,
    string Destination,
    string? Revision = null,
    IReadOnlyDictionary<string, string>? Credentials = null);

/// <summary>What a download did.</summary>
/// <param name="LocalPath">The folder holding the artifact.</param>
/// <param name="Files">How many files the artifact has.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="BytesTransferred">Bytes actually fetched this time (0 when everything was already there).</param>
/// <param name="Elapsed">Wall time of the call.</param>
public sealed record DownloadResult(string LocalPath, int Files, long Bytes, long BytesTransferred, TimeSpan Elapsed);

/// <summary>An artifact could not be fetched; <see cref="Kind"/> says why, for the runtime's HTTP status.</summary>
public sealed class ArtifactException : Exception
{
    public ArtifactException(ArtifactErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public ArtifactException() : this(ArtifactErrorKind.Unavailable, "artifact error") { }

    public ArtifactException(string message) : this(ArtifactErrorKind.Unavailable, message) { }

    public ArtifactException(string message, Exception inner) : this(ArtifactErrorKind.Unavailable, message, inner) { }

    public ArtifactErrorKind Kind { get; }
}

/// <summary>Why an artifact could not be fetched.</summary>
public enum ArtifactErrorKind
{
    /// <summary>The URI is malformed or names an unsupported scheme (400).</summary>
    BadSource,
    /// <summary>The source has no such artifact or revision (404).</summary>
    NotFound,
    /// <summary>The source refused the credentials (401/403).</summary>
    Unauthorized,
    /// <summary>A file's content does not match the checksum the source gives (502).</summary>
    ChecksumMismatch,
    /// <summary>The source could not be reached or kept failing (503).</summary>
    Unavailable,
}
