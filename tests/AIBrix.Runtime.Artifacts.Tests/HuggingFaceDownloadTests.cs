using AIBrix.Runtime.Artifacts.Tests.Fakes;

namespace AIBrix.Runtime.Artifacts.Tests;

/// <summary>Downloads from the fake Hugging Face Hub over real HTTP.</summary>
public sealed class HuggingFaceDownloadTests : IAsyncLifetime
{
    private static readonly Dictionary<string, byte[]> ModelFiles = new()
    {
        ["config.json"] = "{\"model_type\":\"llama\"}"u8.ToArray(),
        ["tokenizer/tokenizer.json"] = TempFolder.Bytes(3000, 1),
        ["model-00001-of-00002.safetensors"] = TempFolder.Bytes(700_000, 2),
        ["model-00002-of-00002.safetensors"] = TempFolder.Bytes(300_001, 3),
    };

    private readonly TempFolder _temp = new();
    private FakeHuggingFaceHub _hub = null!;

    public async Task InitializeAsync() => _hub = await FakeHuggingFaceHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    private ArtifactDownloader Downloader(int parallelism = 4, long chunk = 128 * 1024, int retries = 5, TimeSpan? readTimeout = null) => new(new ArtifactDownloaderOptions
    {
        ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(60),
        HuggingFaceEndpoint = _hub.Endpoint,
        HuggingFaceToken = "",
        Parallelism = parallelism,
        ChunkBytes = chunk,
        MaxRetries = retries,
        LockDirectory = _temp.Combine("locks"),
    });

    private void AssertFiles(string folder, IReadOnlyDictionary<string, byte[]> expected)
    {
        foreach ((string path, byte[] content) in expected)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder, path)));
        }

        string[] present = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".cache/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal).ToArray(), present);
    }

    [Fact]
    public async Task DownloadAsync_MultiFileRepo_FetchesEveryFileInChunksAndKeepsTheTokenOffTheCdn()
    {
        _hub.AddRepo("org/model", ModelFiles);
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("model");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest, Credentials: new Dictionary<string, string> { ["HF_TOKEN"] = "hf_good" }));

        AssertFiles(dest, ModelFiles);
        long total = ModelFiles.Values.Sum(v => (long)v.Length);
        Assert.Equal(4, result.Files);
        Assert.Equal(total, result.Bytes);
        Assert.Equal(total, result.BytesTransferred);
        Assert.Equal(total, _hub.BytesServed);
        // The 700 kB file came in 128 KiB ranges, not one response.
        Assert.True(_hub.Requests.Count(r => r.StartsWith("model-00001", StringComparison.Ordinal)) >= 6);
        Assert.Empty(_hub.CdnAuthorizations);
        Assert.False(Directory.EnumerateFiles(dest, "*.incomplete", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task DownloadAsync_SecondCall_TransfersNothing()
    {
        _hub.AddRepo("org/model", ModelFiles);
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("model");
        await downloader.DownloadAsync(new DownloadRequest("huggingface://org/model", dest));
        long served = _hub.BytesServed;

        DownloadResult again = await downloader.DownloadAsync(new DownloadRequest("org/model", dest));

        Assert.Equal(0, again.BytesTransferred);
        Assert.Equal(served, _hub.BytesServed);
        AssertFiles(dest, ModelFiles);
    }

    [Fact]
    public async Task DownloadAsync_Revision_FetchesThatCommitsFiles()
    {
        FakeRepo repo = _hub.AddRepo("org/model", ModelFiles);
        var v1 = new Dictionary<string, byte[]> { ["config.json"] = "{\"v\":1}"u8.ToArray(), ["adapter.safetensors"] = TempFolder.Bytes(5000, 9) };
        string commit = repo.AddCommit("v1", v1);
        using ArtifactDownloader downloader = Downloader();

        await downloader.DownloadAsync(new DownloadRequest("hf://org/model", _temp.Combine("tag"), Revision: "v1"));
        await downloader.DownloadAsync(new DownloadRequest("hf://org/model", _temp.Combine("sha"), Revision: commit));
        await downloader.DownloadAsync(new DownloadRequest("hf://org/model", _temp.Combine("main")));

        AssertFiles(_temp.Combine("tag"), v1);
        AssertFiles(_temp.Combine("sha"), v1);
        AssertFiles(_temp.Combine("main"), ModelFiles);
    }

    [Fact]
    public async Task DownloadAsync_ConnectionCutMidFile_ResumesFromTheCut()
    {
        _hub.AddRepo("org/model", ModelFiles);
        _hub.CutAfter("model-00001-of-00002.safetensors", 50_000, 50_000, 50_000);
        // One chunk per file, so the cut file is one response and the retry must ask for the rest only.
        using ArtifactDownloader downloader = Downloader(parallelism: 2, chunk: 4L * 1024 * 1024);
        string dest = _temp.Combine("model");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest));

        AssertFiles(dest, ModelFiles);
        long total = ModelFiles.Values.Sum(v => (long)v.Length);
        // Every byte was received once: each retry asked for what was missing, not for the whole file again.
        Assert.Equal(total, result.BytesTransferred);
        Assert.Equal(4, _hub.Requests.Count(r => r.StartsWith("model-00001-of-00002.safetensors bytes=", StringComparison.Ordinal)));
        Assert.Contains(_hub.Requests, r => r.StartsWith("model-00001-of-00002.safetensors bytes=", StringComparison.Ordinal) && !r.EndsWith("=0-699999", StringComparison.Ordinal));
        // What the server wrote before each cut may be lost in flight; it never sends more than one extra cut's worth.
        Assert.InRange(_hub.BytesServed, total, total + 150_000);
    }

    [Fact]
    public async Task DownloadAsync_CutWithoutProgressMoreThanRetries_FailsUnavailable()
    {
        _hub.AddRepo("org/model", ModelFiles);
        _hub.CutAfter("model-00001-of-00002.safetensors", 0, 0, 0);
        using ArtifactDownloader downloader = Downloader(parallelism: 1, chunk: 4L * 1024 * 1024, retries: 2);
        string dest = _temp.Combine("model");

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() => downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest)));

        Assert.Equal(ArtifactErrorKind.Unavailable, error.Kind);
        Assert.Contains("model-00001-of-00002.safetensors", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dest, "model-00001-of-00002.safetensors")));
    }

    [Fact]
    public async Task DownloadAsync_StoppedMidFile_ANewDownloaderResumesFromTheKeptPartialFile()
    {
        const string file = "model-00001-of-00002.safetensors";
        _hub.AddRepo("org/model", ModelFiles);
        _hub.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.CutAfter(file, 100_000);
        string dest = _temp.Combine("model");
        string incomplete = Path.Combine(dest, ".cache/aibrix", file + ".incomplete");
        using var stop = new CancellationTokenSource();
        using (ArtifactDownloader first = Downloader(parallelism: 1, chunk: 4L * 1024 * 1024))
        {
            Task download = first.DownloadAsync(new DownloadRequest("hf://org/model", dest), stop.Token);
            // The first 100 000 bytes have landed in the partial file: stop there, as a pod being killed would.
            await WaitForAsync(() => StartsWith(incomplete, ModelFiles[file].AsSpan(0, 100_000)));
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        }

        _hub.Hold.TrySetResult();
        Assert.False(File.Exists(Path.Combine(dest, file)));
        _hub.Requests.Clear();

        using ArtifactDownloader second = Downloader(parallelism: 1, chunk: 4L * 1024 * 1024);
        DownloadResult result = await second.DownloadAsync(new DownloadRequest("hf://org/model", dest));

        AssertFiles(dest, ModelFiles);
        Assert.Contains($"{file} bytes=100000-699999", _hub.Requests);
        Assert.DoesNotContain(_hub.Requests, r => r.StartsWith(file + " bytes=0-", StringComparison.Ordinal));
        // config.json was finished before the stop and is kept; the rest comes, the cut file from byte 100 000.
        long total = ModelFiles.Values.Sum(v => (long)v.Length);
        Assert.Equal(total - 100_000 - ModelFiles["config.json"].Length, result.BytesTransferred);
    }

    [Fact]
    public async Task DownloadAsync_StalledConnection_TimesOutAndResumesFromTheStall()
    {
        const string file = "model-00001-of-00002.safetensors";
        _hub.AddRepo("org/model", ModelFiles);
        // The response sends 100 000 bytes, then nothing, and keeps the connection open.
        _hub.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hub.CutAfter(file, 100_000);
        using ArtifactDownloader downloader = Downloader(parallelism: 2, chunk: 4L * 1024 * 1024, readTimeout: TimeSpan.FromSeconds(1));
        string dest = _temp.Combine("model");

        DownloadResult result = await downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest));

        AssertFiles(dest, ModelFiles);
        Assert.Contains(_hub.Requests, r => r.StartsWith(file + " bytes=", StringComparison.Ordinal) && !r.StartsWith(file + " bytes=0-", StringComparison.Ordinal));
        Assert.Equal(ModelFiles.Values.Sum(v => (long)v.Length), result.BytesTransferred);
    }

    private static bool StartsWith(string path, ReadOnlySpan<byte> expected)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            byte[] head = new byte[expected.Length];
            return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && expected.SequenceEqual(head);
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    [Theory]
    [InlineData("model-00002-of-00002.safetensors")] // LFS: SHA-256
    [InlineData("tokenizer/tokenizer.json")] // plain git blob: its SHA-1 blob id
    public async Task DownloadAsync_WrongChecksum_FailsAndRemovesTheBadFile(string file)
    {
        FakeRepo repo = _hub.AddRepo("org/model", ModelFiles);
        repo.Misreport(repo.Branches["main"], file, TempFolder.Bytes(ModelFiles[file].Length, 77));
        using ArtifactDownloader downloader = Downloader();
        string dest = _temp.Combine("model");

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() => downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest)));

        Assert.Equal(ArtifactErrorKind.ChecksumMismatch, error.Kind);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dest, file)));
        Assert.False(File.Exists(Path.Combine(dest, ".cache/aibrix", file + ".incomplete")));
    }

    [Theory]
    [InlineData("org/missing", null, ArtifactErrorKind.NotFound, "RepoNotFound")]
    [InlineData("org/private", null, ArtifactErrorKind.NotFound, "RepoNotFound")]
    [InlineData("org/private", "hf_wrong", ArtifactErrorKind.Unauthorized, "401")]
    [InlineData("org/gated", null, ArtifactErrorKind.Unauthorized, "gated")]
    [InlineData("org/gated", "hf_good", ArtifactErrorKind.Unauthorized, "403 GatedRepo")]
    public async Task DownloadAsync_RefusedRepo_FailsWithTheKindAndAClearMessage(string repo, string? token, ArtifactErrorKind kind, string says)
    {
        _hub.AddRepo("org/private", ModelFiles, isPrivate: true);
        _hub.AddRepo("org/gated", ModelFiles, gated: true);
        using ArtifactDownloader downloader = Downloader();
        Dictionary<string, string>? credentials = token is null ? null : new() { ["HF_TOKEN"] = token };

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest("hf://" + repo, _temp.Combine("x"), Credentials: credentials)));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _hub.BytesServed);
    }

    [Fact]
    public async Task DownloadAsync_GatedRepoWithAccess_Downloads()
    {
        FakeRepo repo = _hub.AddRepo("org/gated", ModelFiles, gated: true);
        repo.Granted.Add("hf_good");
        using ArtifactDownloader downloader = Downloader();

        await downloader.DownloadAsync(new DownloadRequest("hf://org/gated", _temp.Combine("g"), Credentials: new Dictionary<string, string> { ["HF_TOKEN"] = "hf_good" }));

        AssertFiles(_temp.Combine("g"), ModelFiles);
        Assert.Empty(_hub.CdnAuthorizations);
    }

    [Fact]
    public async Task DownloadAsync_UnknownRevision_IsNotFound()
    {
        _hub.AddRepo("org/model", ModelFiles);
        using ArtifactDownloader downloader = Downloader();

        ArtifactException error = await Assert.ThrowsAsync<ArtifactException>(() =>
            downloader.DownloadAsync(new DownloadRequest("hf://org/model", _temp.Combine("x"), Revision: "v9")));

        Assert.Equal(ArtifactErrorKind.NotFound, error.Kind);
        Assert.Contains("RevisionNotFound", error.Message, StringComparison.Ordinal);
    }
}
