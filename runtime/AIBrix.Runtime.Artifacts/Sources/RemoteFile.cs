namespace AIBrix.Runtime.Artifacts.Sources;

/// <summary>How a source vouches for a file's content.</summary>
internal enum ChecksumAlgorithm
{
    /// <summary>SHA-256 of the content (Hugging Face LFS files, S3 full-object SHA-256 checksums).</summary>
    Sha256,
    /// <summary>Git's blob id: SHA-1 of <c>"blob {size}\0"</c> then the content (Hugging Face non-LFS files).</summary>
    GitBlobSha1,
    /// <summary>MD5 of the content (the ETag of a single-part, unencrypted S3 upload).</summary>
    Md5,
}

/// <summary>An expected digest, lowercase hex.</summary>
internal sealed record FileChecksum(ChecksumAlgorithm Algorithm, string Hex);

/// <summary>One file of a remote artifact.</summary>
/// <param name="Path">Path inside the artifact, '/'-separated, never rooted and without '..'.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Version">What identifies this content at the source (a blob id, an ETag): a kept partial file or a
/// finished one is reused only when its recorded version equals this.</param>
/// <param name="Checksum">The digest to verify, when the source offers one.</param>
internal sealed record RemoteFile(string Path, long Size, string Version, FileChecksum? Checksum);

/// <summary>The files of one artifact at one version.</summary>
/// <param name="Revision">The resolved revision (a Hugging Face commit), or null.</param>
internal sealed record RemoteManifest(string? Revision, IReadOnlyList<RemoteFile> Files);

/// <summary>A remote store that lists an artifact and serves byte ranges of its files.</summary>
internal interface IRemoteStore
{
    /// <summary>Lists the artifact's files.</summary>
    Task<RemoteManifest> ListAsync(CancellationToken cancellationToken);

    /// <summary>Opens bytes <paramref name="offset"/> .. <paramref name="offset"/>+<paramref name="length"/>-1 of
    /// <paramref name="file"/>. The returned stream yields exactly those bytes (or ends early when cut).</summary>
    Task<Stream> OpenRangeAsync(RemoteManifest manifest, RemoteFile file, long offset, long length, CancellationToken cancellationToken);
}
