using AIBrix.Controllers.ModelAdapters;

namespace AIBrix.Controllers.Tests.ModelAdapters;

public sealed class ArtifactSourceTests
{
    [Theory]
    [InlineData("huggingface://yard1/llama-2-7b-sql-lora-test", "yard1/llama-2-7b-sql-lora-test")]
    [InlineData("hf://org/repo/", "org/repo")]
    [InlineData("s3://bucket/loras/sql", "s3://bucket/loras/sql")]
    [InlineData("gcs://bucket/sql", "gcs://bucket/sql")]
    [InlineData("/models/loras/sql", "/models/loras/sql")]
    public void ArtifactSource_TryResolve_Valid(string url, string path)
    {
        Assert.True(ArtifactSource.TryResolve(url, out string resolved, out string error), error);
        Assert.Equal(path, resolved);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://host/x")]
    [InlineData("hf://")]
    [InlineData("s3://")]
    [InlineData("relative/path")]
    public void ArtifactSource_TryResolve_InvalidSaysWhy(string url)
    {
        Assert.False(ArtifactSource.TryResolve(url, out _, out string error));
        Assert.NotEmpty(error);
    }
}
