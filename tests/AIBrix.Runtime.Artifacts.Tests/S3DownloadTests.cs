using AIBrix.Runtime.Artifacts.Tests.Fakes;

namespace AIBrix.Runtime.Artifacts.Tests;

/// <summary>Downloads through the real AWS SDK from the fake S3 endpoint.</summary>
public sealed class S3DownloadTests : IAsyncLifetime
{
    private static readonly Dictionary<string, byte[]> Files = new()
    {
        ["config.json"] = "{\"model_type\":\"llama\"}"u8.ToArray(),
        ["model.safetensors"] = TempFolder.Bytes(700_000, 11),
        ["tokenizer/vocab.txt"] = TempFolder.Bytes(4000, 12),
        ["tokenizer/merges.txt"] = TempFolder.Bytes(5000, 13),
        ["weights/part 2.bin"] = TempFolder.Bytes(150_000, 14),
    };

    private readonly TempFolder _temp = new();
    private FakeS3 _s3 = null!;

    public async Task InitializeAsync()
    {
        _s3 = await FakeS3.StartAsync();
        foreach ((string key, byte[] content) in Files)
        {
            _s3.Put("models", "llama/8b/" + key, content);
        }

        _s3.Put("models", "llama/8b-other/config.json", "{}"u8.ToArray());
        _s3.Put("models", "llama/8b/.keep-dir/", []);
    }

    public async Task DisposeAsync()
    {
        await _s3.DisposeAsync();
        _temp.Dispose();
    }

    private ArtifactDownloader Downloader(int retries = 5) => new(new ArtifactDownloaderOptions
    {
        ChunkBytes = 128 * 1024,
        MaxRetries = retries,
        LockDirectory = _temp.Combine("locks"),
    });

    [Fact]
    public async Task DownloadAsync_Prefix_FetchesEveryObjectUnderItAcrossListingPages()
    {
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("m");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("s3://models/llama/8b", dest, Credentials: _s3.Credentials()));

        Assert.Equal(Files.Count, result.Files);
        foreach ((string key, byte[] content) in Files)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(dest, key)));
        }

        Assert.False(File.Exists(Path.Combine(dest, "..", "8b-other", "config.json")));
        Assert.Equal(Files.Values.Sum(v => (long)v.Length), _s3.BytesServed);
        // 700 000 bytes in 128 KiB ranges.
        Assert.Equal(6, _s3.Requests.Count(r => r.StartsWith("llama/8b/model.safetensors bytes=", StringComparison.Ordinal)));

        DownloadResult again = await downloader.DownloadAsync(new DownloadRequest("s3://models/llama/8b/", dest, Credentials: _s3.Credentials()));
        Assert.Equal(0, again.BytesTransferred);
    }

    [Fact]
    public async Task DownloadAsync_PrefixNamingOneObject_FetchesThatObject()
    {
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("one");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("s3://models/llama/8b/model.safetensors", dest, Credentials: _s3.Credentials()));

        Assert.Equal(1, result.Files);
        Assert.Equal(Files["model.safetensors"], File.ReadAllBytes(Path.Combine(dest, "model.safetensors")));
    }

    [Fact]
    public async Task DownloadAsync_ConnectionCut_ResumesWithTheRestOfTheRange()
    {
        _s3.CutAfter("llama/8b/model.safetensors", 30_000, 30_000);
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("m");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("s3://models/llama/8b", dest, Credentials: _s3.Credentials()));

        Assert.Equal(Files["model.safetensors"], File.ReadAllBytes(Path.Combine(dest, "model.safetensors")));
        Assert.Equal(Files.Values.Sum(v => (long)v.Length), result.BytesTransferred);
        Assert.True(_s3.Requests.Count(r => r.StartsWith("llama/8b/model.safetensors bytes=", StringComparison.Ordinal)) >= 8);
    }

    [Fact]
    public async Task DownloadAsync_Md5ETagMismatch_FailsAndRemovesTheFile()
    {
        _s3.Put("bad", "m/weights.bin", TempFolder.Bytes(10_000, 1), claimedContent: TempFolder.Bytes(10_000, 2));
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("bad");

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest("s3://bad/m", dest, Credentials: _s3.Credentials())));

        Assert.Equal(ArtifactErrorKind.ChecksumMismatch, error.Kind);
        Assert.False(File.Exists(Path.Combine(dest, "weights.bin")));
    }

    [Fact]
    public async Task DownloadAsync_MultipartETag_IsNotTakenForAnMd5()
    {
        _s3.Put("multi", "m/weights.bin", TempFolder.Bytes(10_000, 1), multipart: true, claimedContent: TempFolder.Bytes(10_000, 2));
        using ArtifactDownloader downloader = Downloader();

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("s3://multi/m", _temp.Combine("mp"), Credentials: _s3.Credentials()));

        Assert.Equal(10_000, result.Bytes);
    }

    [Theory]
    [InlineData("s3://models/llama/8b", "AKIAWRONGWRONGWRONG1", ArtifactErrorKind.Unauthorized, "InvalidAccessKeyId")]
    [InlineData("s3://nobucket/x", null, ArtifactErrorKind.NotFound, "NoSuchBucket")]
    [InlineData("s3://models/llama/70b", null, ArtifactErrorKind.NotFound, "holds no objects")]
    public async Task DownloadAsync_RefusedOrMissing_FailsWithTheKind(string uri, string? accessKey, ArtifactErrorKind kind, string says)
    {
        using ArtifactDownloader downloader = Downloader(retries: 0);

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest(uri, _temp.Combine("x"), Credentials: _s3.Credentials(accessKey))));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_BadEndpointSetting_IsBadSource()
    {
        using ArtifactDownloader downloader = Downloader();
        Dictionary<string, string> credentials = _s3.Credentials();
        credentials["AWS_ENDPOINT_URL"] = "not a url";

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest("s3://models/llama/8b", _temp.Combine("x"), Credentials: credentials)));

        Assert.Equal(ArtifactErrorKind.BadSource, error.Kind);
    }
}
