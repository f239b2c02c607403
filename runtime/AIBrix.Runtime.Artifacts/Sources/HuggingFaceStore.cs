using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.Runtime.Artifacts.Sources;

/// <summary>
/// The Hugging Face Hub's HTTP protocol: <c>GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true</c> lists the
/// files with sizes, git blob ids and LFS SHA-256s and resolves the revision to a commit; then each file comes from
/// <c>GET {endpoint}/{repo}/resolve/{commit}/{path}</c> with a <c>Range</c> header, following redirects (LFS files
/// go to a CDN). The token goes as <c>Authorization: Bearer</c>, and only to the hub's own host.
/// </summary>
internal sealed class HuggingFaceStore(HttpClient http, Uri endpoint, string repo, string? revision, string? token) : IRemoteStore
{
    private const int MaxRedirects = 10;

    public async Task<RemoteManifest> ListAsync(CancellationToken cancellationToken)
    {
        string rev = string.IsNullOrEmpty(revision) ? "main" : revision;
        var uri = new Uri(endpoint, $"api/models/{repo}/revision/{Uri.EscapeDataString(rev)}?blobs=true");
        using HttpResponseMessage response = await SendAsync(uri, range: null, cancellationToken).ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        ModelInfo? info;
        try
        {
            info = await JsonSerializer.DeserializeAsync(body, HubJson.Default.ModelInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new ArtifactException(ArtifactErrorKind.Unavailable, $"Hugging Face listing of {repo}@{rev} is not valid JSON: {e.Message}", e);
        }

        if (info?.Siblings is null)
        {
            throw new ArtifactException(ArtifactErrorKind.Unavailable, $"Hugging Face listing of {repo}@{rev} has no 'siblings'");
        }

        var files = new List<RemoteFile>(info.Siblings.Count);
        foreach (Sibling s in info.Siblings)
        {
            if (string.IsNullOrEmpty(s.Name) || s.Name.StartsWith('/') || ArtifactSourceParser.HasParentSegment(s.Name))
            {
                throw new ArtifactException(ArtifactErrorKind.Unavailable, $"Hugging Face listing of {repo} names an unsafe path '{s.Name}'");
            }

            if (s.Size is null)
            {
                throw new ArtifactException(ArtifactErrorKind.Unavailable, $"Hugging Face listing of {repo} gives no size for '{s.Name}' (the hub must honour ?blobs=true)");
            }

            FileChecksum? checksum = s.Lfs?.Sha256 is { Length: 64 } sha
                ? new FileChecksum(ChecksumAlgorithm.Sha256, sha.ToLowerInvariant())
                : s.Lfs is null && s.BlobId is { Length: 40 } blob ? new FileChecksum(ChecksumAlgorithm.GitBlobSha1, blob.ToLowerInvariant()) : null;
            string version = s.Lfs?.Sha256 ?? s.BlobId ?? $"{info.Sha}:{s.Name}";
            files.Add(new RemoteFile(s.Name, s.Size.Value, version, checksum));
        }

        // Fetch every file from the commit the listing resolved, so a branch moving mid-download cannot mix versions.
        return new RemoteManifest(info.Sha ?? rev, files);
    }

    public async Task<Stream> OpenRangeAsync(RemoteManifest manifest, RemoteFile file, long offset, long length, CancellationToken cancellationToken)
    {
        string path = string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString));
        string rev = Uri.EscapeDataString(manifest.Revision ?? "main");
        var uri = new Uri(endpoint, $"{repo}/resolve/{rev}/{path}");
        var range = new RangeHeaderValue(offset, offset + length - 1);
        HttpResponseMessage response = await SendAsync(uri, range, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RangeContent.OpenAsync(response, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>GETs <paramref name="uri"/>, following redirects by hand: the token goes to the hub's host only
    /// (a CDN must not see it), which HttpClient's own redirects cannot express.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri uri, RangeHeaderValue? range, CancellationToken cancellationToken)
    {
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Range = range;
            if (!string.IsNullOrEmpty(token) && Uri.Compare(uri, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw new ArtifactException(ArtifactErrorKind.Unavailable, $"too many redirects from {uri}");
                }

                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await ErrorOfAsync(response, uri, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<Exception> ErrorOfAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        string code = HeaderOf(response, "X-Error-Code");
        string message = HeaderOf(response, "X-Error-Message");
        if (message.Length == 0)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            message = body.Length > 300 ? body[..300] : body;
        }

        int status = (int)response.StatusCode;
        string tokenNote = string.IsNullOrEmpty(token) ? "no HF_TOKEN was sent" : "the HF_TOKEN sent has no access";
        string detail = $"Hugging Face {repo}: HTTP {status}{(code.Length > 0 ? " " + code : "")}{(message.Length > 0 ? ": " + message : "")} ({uri.GetLeftPart(UriPartial.Path)})";
        return code switch
        {
            "GatedRepo" => new ArtifactException(ArtifactErrorKind.Unauthorized, $"{detail}; the repository is gated: accept its conditions on the hub and send an HF_TOKEN of that account ({tokenNote})"),
            "RepoNotFound" => new ArtifactException(ArtifactErrorKind.NotFound, $"{detail}; no such repository, or it is private and {tokenNote}"),
            "RevisionNotFound" => new ArtifactException(ArtifactErrorKind.NotFound, $"{detail}; no such revision '{revision}'"),
            "EntryNotFound" => new ArtifactException(ArtifactErrorKind.NotFound, detail),
            _ => status switch
            {
                401 or 403 => new ArtifactException(ArtifactErrorKind.Unauthorized, $"{detail} ({tokenNote})"),
                404 => new ArtifactException(ArtifactErrorKind.NotFound, detail),
                416 => new ArtifactException(ArtifactErrorKind.Unavailable, $"{detail}; the range asked is outside the file"),
                408 or 429 or >= 500 => new HttpRequestException(detail, null, response.StatusCode),
                _ => new ArtifactException(ArtifactErrorKind.Unavailable, detail),
            },
        };
    }

    private static string HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(' ', values) : "";
}

/// <summary>The part of the hub's model info the downloader reads.</summary>
internal sealed record ModelInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("sha")] string? Sha,
    [property: JsonPropertyName("siblings")] IReadOnlyList<Sibling>? Siblings);

/// <summary>One file in the hub's listing (with <c>?blobs=true</c>).</summary>
internal sealed record Sibling(
    [property: JsonPropertyName("rfilename")] string Name,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("blobId")] string? BlobId,
    [property: JsonPropertyName("lfs")] LfsInfo? Lfs);

/// <summary>A file's LFS pointer: the content's SHA-256 and size.</summary>
internal sealed record LfsInfo(
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("size")] long? Size);

[JsonSerializable(typeof(ModelInfo))]
internal sealed partial class HubJson : JsonSerializerContext;
