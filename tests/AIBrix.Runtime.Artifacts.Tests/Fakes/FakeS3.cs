using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Tests.Fakes;

/// <summary>
/// An in-process S3-compatible endpoint on real Kestrel, path-style (<c>/{bucket}/{key}</c>), close enough to S3 that
/// the real AWS SDK works against it: <c>ListObjectsV2</c> (paged by <see cref="PageSize"/> with continuation
/// tokens, <c>encoding-type=url</c>), <c>HeadObject</c>, <c>GetObject</c> with <c>Range</c> and <c>If-Match</c>,
/// quoted MD5 ETags (or multipart-style <c>"…-N"</c>), and S3's XML errors (NoSuchBucket, NoSuchKey,
/// InvalidAccessKeyId, SignatureDoesNotMatch, PreconditionFailed). Requests must carry a valid SigV4 signature.
/// </summary>
internal sealed class FakeS3 : IAsyncDisposable
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static readonly DateTimeOffset Modified = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, FakeObject>> _buckets = new();
    private readonly ConcurrentQueue<long> _cuts = new();
    private string? _cutKey;
    private long _bytesServed;

    private FakeS3(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public string AccessKey { get; } = "AKIAFAKEFAKEFAKE0001";

    public string SecretKey { get; } = "fake/secret/key";

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public int PageSize { get; set; } = 2;

    public ConcurrentBag<string> Requests { get; } = [];

    /// <summary>The settings a request passes to reach this endpoint.</summary>
    public Dictionary<string, string> Credentials(string? accessKey = null, string? secretKey = null) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey ?? AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey ?? SecretKey,
        ["AWS_ENDPOINT_URL"] = Endpoint.AbsoluteUri,
        ["AWS_REGION"] = "us-east-1",
    };

    public static async Task<FakeS3> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var s3 = new FakeS3(app);
        app.Run(s3.HandleAsync);
        await app.StartAsync();
        s3.Endpoint = new Uri(app.Urls.First() + "/");
        return s3;
    }

    public void Put(string bucket, string key, byte[] content, bool multipart = false, byte[]? claimedContent = null)
    {
        string md5 = Convert.ToHexStringLower(MD5.HashData(claimedContent ?? content));
        _buckets.GetOrAdd(bucket, _ => new())[key] = new FakeObject(content, multipart ? md5 + "-2" : md5);
    }

    public void CreateBucket(string bucket) => _buckets.GetOrAdd(bucket, _ => new());

    /// <summary>Cuts the next GETs of <paramref name="key"/>, one per entry, after that many bytes.</summary>
    public void CutAfter(string key, params long[] bytes)
    {
        _cutKey = key;
        foreach (long b in bytes)
        {
            _cuts.Enqueue(b);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (SigV4.Check(context, AccessKey, SecretKey) is { } refused)
        {
            await ErrorAsync(context, 403, refused, refused == "InvalidAccessKeyId"
                ? "The AWS Access Key Id you provided does not exist in our records."
                : "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
            return;
        }

        string path = request.Path.Value ?? "/";
        string[] parts = path.TrimStart('/').Split('/', 2);
        if (!_buckets.TryGetValue(parts[0], out ConcurrentDictionary<string, FakeObject>? bucket))
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist");
            return;
        }

        if (parts.Length == 1 || parts[1].Length == 0)
        {
            if (HttpMethods.IsGet(request.Method) && request.Query["list-type"] == "2")
            {
                await ListAsync(context, parts[0], bucket);
                return;
            }

            await ErrorAsync(context, 501, "NotImplemented", "Only ListObjectsV2 is implemented on buckets");
            return;
        }

        string key = Uri.UnescapeDataString(parts[1]);
        if (!bucket.TryGetValue(key, out FakeObject? item))
        {
            await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }

        string etag = $"\"{item.ETag}\"";
        string ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != etag && ifMatch.Trim('"') != item.ETag)
        {
            await ErrorAsync(context, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }

        HttpResponse response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.LastModified = Modified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";
        if (HttpMethods.IsHead(request.Method))
        {
            response.ContentLength = item.Content.Length;
            return;
        }

        long from = 0;
        long to = item.Content.Length - 1;
        string range = request.Headers.Range.ToString();
        Requests.Add($"{key} {range}");
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            string[] ends = range["bytes=".Length..].Split('-');
            from = long.Parse(ends[0], CultureInfo.InvariantCulture);
            to = ends[1].Length > 0 ? Math.Min(to, long.Parse(ends[1], CultureInfo.InvariantCulture)) : to;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{to}/{item.Content.Length}";
        }

        long length = to - from + 1;
        response.ContentLength = length;
        if (_cutKey == key && _cuts.TryDequeue(out long cut) && cut < length)
        {
            // Counted before the write: the client can hold the last byte before WriteAsync returns here.
            Interlocked.Add(ref _bytesServed, cut);
            await response.Body.WriteAsync(item.Content.AsMemory((int)from, (int)cut));
            await response.Body.FlushAsync();
            await Task.Delay(100);
            context.Abort();
            return;
        }

        Interlocked.Add(ref _bytesServed, length);
        await response.Body.WriteAsync(item.Content.AsMemory((int)from, (int)length));
    }

    private async Task ListAsync(HttpContext context, string name, ConcurrentDictionary<string, FakeObject> bucket)
    {
        string prefix = context.Request.Query["prefix"].ToString();
        string token = context.Request.Query["continuation-token"].ToString();
        bool urlEncoded = context.Request.Query["encoding-type"] == "url";
        List<string> keys = bucket.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        int start = token.Length > 0 ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture) : 0;
        List<string> page = keys.Skip(start).Take(PageSize).ToList();
        bool truncated = start + page.Count < keys.Count;
        var result = new XElement(S3 + "ListBucketResult",
            new XElement(S3 + "Name", name),
            new XElement(S3 + "Prefix", prefix),
            new XElement(S3 + "KeyCount", page.Count),
            new XElement(S3 + "MaxKeys", 1000),
            new XElement(S3 + "IsTruncated", truncated ? "true" : "false"),
            urlEncoded ? new XElement(S3 + "EncodingType", "url") : null,
            token.Length > 0 ? new XElement(S3 + "ContinuationToken", token) : null,
            truncated ? new XElement(S3 + "NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture)))) : null,
            page.Select(k => new XElement(S3 + "Contents",
                new XElement(S3 + "Key", urlEncoded ? Uri.EscapeDataString(k).Replace("%2F", "/", StringComparison.Ordinal) : k),
                new XElement(S3 + "LastModified", Modified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(S3 + "ETag", $"\"{bucket[k].ETag}\""),
                new XElement(S3 + "Size", bucket[k].Content.Length),
                new XElement(S3 + "StorageClass", "STANDARD"))));
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + result.ToString(SaveOptions.DisableFormatting));
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amz-request-id"] = "FAKE0000";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask; // S3 sends no body on HEAD errors
        }

        context.Response.ContentType = "application/xml";
        var error = new XElement("Error", new XElement("Code", code), new XElement("Message", message), new XElement("RequestId", "FAKE0000"));
        return context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + error.ToString(SaveOptions.DisableFormatting));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record FakeObject(byte[] Content, string ETag);
}
