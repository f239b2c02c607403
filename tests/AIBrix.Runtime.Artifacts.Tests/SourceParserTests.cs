using AIBrix.Runtime.Artifacts.Sources;

namespace AIBrix.Runtime.Artifacts.Tests;

public sealed class SourceParserTests
{
    [Theory]
    [InlineData("hf://meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B")]
    [InlineData("huggingface://org/name/", "org/name")]
    [InlineData("HF://gpt2", "gpt2")]
    [InlineData("Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-0.5B-Instruct")]
    public void Parse_HuggingFaceForms_GiveTheRepo(string uri, string repo) =>
        Assert.Equal(new HuggingFaceSource(repo), ArtifactSourceParser.Parse(uri));

    [Theory]
    [InlineData("s3://models/llama/8b", "models", "llama/8b")]
    [InlineData("s3://models", "models", "")]
    [InlineData("s3://my.bucket-1/a/", "my.bucket-1", "a")]
    public void Parse_S3_GivesBucketAndPrefix(string uri, string bucket, string prefix) =>
        Assert.Equal(new S3Source(bucket, prefix), ArtifactSourceParser.Parse(uri));

    [Theory]
    [InlineData("/models/x", "/models/x")]
    [InlineData("file:///models/x%20y", "/models/x y")]
    public void Parse_LocalForms_GiveThePath(string uri, string path) =>
        Assert.Equal(new LocalSource(path), ArtifactSourceParser.Parse(uri));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("gs://bucket/x", "scheme 'gs'")]
    [InlineData("s3://Bad_Bucket/x", "bucket name")]
    [InlineData("s3://b", "bucket name")]
    [InlineData("s3://bucket/../etc", "'..'")]
    [InlineData("hf://org/name/extra", "repository id")]
    [InlineData("hf://org/..", "repository id")]
    [InlineData("hf://", "repository id")]
    [InlineData("justaname", "bare name")]
    [InlineData("file://relative/x", "absolute path")]
    public void Parse_BadUris_FailAsBadSourceSayingWhy(string uri, string says)
    {
        ArtifactException error = Assert.Throws<ArtifactException>(() => ArtifactSourceParser.Parse(uri));

        Assert.Equal(ArtifactErrorKind.BadSource, error.Kind);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hf://org/name", "huggingface")]
    [InlineData("org/name", "huggingface")]
    [InlineData("s3://bucket/a", "s3")]
    [InlineData("file:///models/x", "local")]
    [InlineData("/models/x", "local")]
    public void KindOf_EachForm_GivesItsMetricTag(string uri, string kind) =>
        Assert.Equal(kind, ArtifactSourceParser.KindOf(uri));

    [Fact]
    public async Task DownloadAsync_BadUri_FailsBeforeAnyIo()
    {
        using var downloader = new ArtifactDownloader(new ArtifactDownloaderOptions());

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() => downloader.DownloadAsync(new DownloadRequest("ftp://x/y", "/tmp/never")));

        Assert.Equal(ArtifactErrorKind.BadSource, error.Kind);
        Assert.False(Directory.Exists("/tmp/never"));
    }

    [Fact]
    public void Constructor_BadOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new ArtifactDownloader(new ArtifactDownloaderOptions { Parallelism = 0, ChunkBytes = 10, MaxRetries = -1 }));

        Assert.Contains("Parallelism", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChunkBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries", error.Message, StringComparison.Ordinal);
    }
}
