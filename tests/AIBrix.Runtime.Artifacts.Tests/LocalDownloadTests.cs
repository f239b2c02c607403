namespace AIBrix.Runtime.Artifacts.Tests;

/// <summary>Local folders brought into a destination by hard link or copy.</summary>
public sealed class LocalDownloadTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string MakeSource()
    {
        string source = _temp.Combine("source");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.WriteAllBytes(Path.Combine(source, "config.json"), "{}"u8.ToArray());
        File.WriteAllBytes(Path.Combine(source, "sub", "weights.bin"), TempFolder.Bytes(200_000, 5));
        return source;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DownloadAsync_LocalFolder_BringsEveryFile(bool hardLink)
    {
        string source = MakeSource();
        using var downloader = new ArtifactDownloader(new ArtifactDownloaderOptions { HardLinkLocalFiles = hardLink });
        string dest = _temp.Combine("dest");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest(source, dest));

        Assert.Equal(2, result.Files);
        Assert.Equal(200_002, result.Bytes);
        Assert.Equal(hardLink ? 0 : 200_002, result.BytesTransferred);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "sub", "weights.bin")), File.ReadAllBytes(Path.Combine(dest, "sub", "weights.bin")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(dest, "config.json")));

        DownloadResult again = await downloader.DownloadAsync(new DownloadRequest("file://" + source, dest));
        Assert.Equal(0, again.BytesTransferred);
    }

    [Fact]
    public async Task DownloadAsync_MissingLocalPath_IsNotFound()
    {
        using var downloader = new ArtifactDownloader(new ArtifactDownloaderOptions());

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest(_temp.Combine("nope"), _temp.Combine("dest"))));

        Assert.Equal(ArtifactErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task DownloadAsync_SourceIsTheDestination_DoesNothing()
    {
        string source = MakeSource();
        using var downloader = new ArtifactDownloader(new ArtifactDownloaderOptions());

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest(source, source));

        Assert.Equal(2, result.Files);
        Assert.Equal(0, result.BytesTransferred);
    }
}
