using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AIBrix.Runtime.Artifacts.Sources;

/// <summary>
/// An S3-compatible store through the AWS SDK: <c>ListObjectsV2</c> under the prefix, then ranged <c>GetObject</c>s
/// pinned to the listed ETag (<c>If-Match</c>), so an object replaced mid-download fails instead of mixing versions.
/// A plain 32-hex ETag (a single-part upload) is the content's MD5 and is verified; multipart ETags are not.
/// </summary>
internal sealed class S3Store(IAmazonS3 client, string bucket, string prefix) : IRemoteStore
{
    // Set when the prefix names one object rather than a folder.
    private string? _singleKey;

    public async Task<RemoteManifest> ListAsync(CancellationToken cancellationToken)
    {
        string folder = prefix.Length == 0 ? "" : prefix + "/";
        var files = new List<RemoteFile>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = folder };
        do
        {
            ListObjectsV2Response response = await CallAsync(() => client.ListObjectsV2Async(request, cancellationToken)).ConfigureAwait(false);
            foreach (S3Object item in response.S3Objects ?? [])
            {
                if (item.Key.EndsWith('/'))
                {
                    continue; // a "folder" marker
                }

                string relative = item.Key[folder.Length..];
                if (relative.StartsWith('/') || ArtifactSourceParser.HasParentSegment(relative))
                {
                    throw new ArtifactException(ArtifactErrorKind.Unavailable, $"s3://{bucket}/{item.Key} has an unsafe name");
                }

                files.Add(FileOf(relative, item.Size ?? 0, item.ETag));
            }

            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        if (files.Count == 0 && prefix.Length > 0)
        {
            // Not a folder: perhaps the prefix names one object.
            try
            {
                GetObjectMetadataResponse head = await client.GetObjectMetadataAsync(bucket, prefix, cancellationToken).ConfigureAwait(false);
                _singleKey = prefix;
                files.Add(FileOf(prefix[(prefix.LastIndexOf('/') + 1)..], head.ContentLength, head.ETag));
                return new RemoteManifest(null, files);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
            catch (AmazonS3Exception e)
            {
                throw ErrorOf(e);
            }
        }

        if (files.Count == 0)
        {
            throw new ArtifactException(ArtifactErrorKind.NotFound, $"s3://{bucket}/{prefix} holds no objects");
        }

        return new RemoteManifest(null, files);
    }

    public async Task<Stream> OpenRangeAsync(RemoteManifest manifest, RemoteFile file, long offset, long length, CancellationToken cancellationToken)
    {
        string key = _singleKey ?? (prefix.Length == 0 ? file.Path : prefix + "/" + file.Path);
        var request = new GetObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ByteRange = new ByteRange(offset, offset + length - 1),
            EtagToMatch = file.Version.Length > 0 ? file.Version : null,
        };
        GetObjectResponse response = await CallAsync(() => client.GetObjectAsync(request, cancellationToken)).ConfigureAwait(false);
        return response.ResponseStream;
    }

    private static RemoteFile FileOf(string relative, long size, string? etag)
    {
        string version = etag?.Trim('"') ?? "";
        FileChecksum? md5 = version.Length == 32 && version.All(Uri.IsHexDigit) ? new FileChecksum(ChecksumAlgorithm.Md5, version.ToLowerInvariant()) : null;
        return new RemoteFile(relative, size, version, md5);
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw ErrorOf(e);
        }
        catch (AmazonClientException e)
        {
            throw new IOException($"s3://{bucket}/{prefix}: {e.Message}", e);
        }
    }

    private Exception ErrorOf(AmazonS3Exception e)
    {
        string detail = $"s3://{bucket}/{prefix}: HTTP {(int)e.StatusCode} {e.ErrorCode}: {e.Message}";
        return (int)e.StatusCode switch
        {
            401 or 403 => new ArtifactException(ArtifactErrorKind.Unauthorized, $"{detail} (check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket policy)", e),
            404 => new ArtifactException(ArtifactErrorKind.NotFound, detail, e),
            412 => new ArtifactException(ArtifactErrorKind.Unavailable, $"{detail}; the object changed during the download, retry it", e),
            408 or 429 or >= 500 => new HttpRequestException(detail, e, e.StatusCode),
            _ => new ArtifactException(ArtifactErrorKind.Unavailable, detail, e),
        };
    }

    /// <summary>A client for <paramref name="settings"/> (request credentials first, then the environment):
    /// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>, <c>AWS_REGION</c> /
    /// <c>AWS_DEFAULT_REGION</c>, <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c> (an S3-compatible store:
    /// path-style addressing unless <c>AWS_S3_ADDRESSING_STYLE=virtual</c>). Without keys the SDK's default chain
    /// (profiles, web identity, instance roles) applies.</summary>
    public static AmazonS3Client CreateClient(Func<string, string?> settings)
    {
        string region = settings("AWS_REGION") ?? settings("AWS_DEFAULT_REGION") ?? "us-east-1";
        var config = new AmazonS3Config();
        string? endpoint = settings("AWS_ENDPOINT_URL_S3") ?? settings("AWS_ENDPOINT_URL");
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArtifactException(ArtifactErrorKind.BadSource, $"AWS_ENDPOINT_URL '{endpoint}' is not an http(s) URL");
            }

            config.ServiceURL = uri.ToString();
            config.AuthenticationRegion = region;
            config.ForcePathStyle = !string.Equals(settings("AWS_S3_ADDRESSING_STYLE"), "virtual", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        string? key = settings("AWS_ACCESS_KEY_ID");
        string? secret = settings("AWS_SECRET_ACCESS_KEY");
        if (key is null || secret is null)
        {
            return new AmazonS3Client(config);
        }

        string? session = settings("AWS_SESSION_TOKEN");
        AWSCredentials credentials = session is null ? new BasicAWSCredentials(key, secret) : new SessionAWSCredentials(key, secret, session);
        return new AmazonS3Client(credentials, config);
    }
}
