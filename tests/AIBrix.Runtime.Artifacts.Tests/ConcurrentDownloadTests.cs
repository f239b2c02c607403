using System.Collections.Concurrent;
using System.Diagnostics;
using AIBrix.Runtime.Artifacts.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Artifacts.Tests;

/// <summary>Two pods on one node asking for the same artifact: the per-destination OS file lock makes one fetch it.</summary>
public sealed class ConcurrentDownloadTests : IAsyncLifetime
{
    private static readonly Dictionary<string, byte[]> Files = new()
    {
        ["config.json"] = "{}"u8.ToArray(),
        ["model.safetensors"] = TempFolder.Bytes(600_000, 21),
    };

    private readonly TempFolder _temp = new();
    private FakeHuggingFaceHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHuggingFaceHub.StartAsync();
        _hub.AddRepo("org/model", Files);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    private ArtifactDownloader Downloader(ILoggerFactory? logs = null) => new(new ArtifactDownloaderOptions
    {
        HuggingFaceEndpoint = _hub.Endpoint,
        HuggingFaceToken = "",
        ChunkBytes = 128 * 1024,
        LockDirectory = _temp.Combine("locks"),
    }, logs);

    [Fact]
    public async Task DownloadAsync_TwoDownloadersOneDestination_FetchTheRepoOnce()
    {
        // Two instances with their own HttpClients, as two pods would have; the hub holds every response until both
        // have started, so they really overlap.
        _hub.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new CapturingLoggerFactory();
        using ArtifactDownloader a = Downloader(logs);
        using ArtifactDownloader b = Downloader(logs);
        string dest = _temp.Combine("model");

        Task<DownloadResult> first = a.DownloadAsync(new DownloadRequest("hf://org/model", dest));
        Task<DownloadResult> second = b.DownloadAsync(new DownloadRequest("hf://org/model", dest));
        await HuggingFaceDownloadTests.WaitForAsync(() => logs.Messages.Any(m => m.Contains("waiting for it to finish", StringComparison.Ordinal)));
        _hub.Gate.TrySetResult();
        DownloadResult[] results = await Task.WhenAll(first, second);

        long total = Files.Values.Sum(v => (long)v.Length);
        Assert.Equal(total, _hub.BytesServed);
        Assert.Equal(total, results.Sum(r => r.BytesTransferred));
        Assert.Contains(results, r => r.BytesTransferred == 0);
        Assert.Equal(Files["model.safetensors"], File.ReadAllBytes(Path.Combine(dest, "model.safetensors")));
    }

    [Fact]
    public async Task DownloadAsync_LockHeldByAnotherProcess_WaitsForItThenFetches()
    {
        // flock(1) takes the same OS lock (flock(2)) .NET takes for FileShare.None, from a separate process.
        string dest = _temp.Combine("model");
        string lockPath = Path.Combine(_temp.Combine("locks"), "model-" + LockSuffix(dest) + ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        string ready = _temp.Combine("ready");
        using var holder = Process.Start(new ProcessStartInfo("flock", [lockPath, "sh", "-c", $"touch '{ready}'; sleep 120"]))!;
        try
        {
            await HuggingFaceDownloadTests.WaitForAsync(() => File.Exists(ready));
            var logs = new CapturingLoggerFactory();
            using ArtifactDownloader downloader = Downloader(logs);
            Task<DownloadResult> download = downloader.DownloadAsync(new DownloadRequest("hf://org/model", dest));
            await HuggingFaceDownloadTests.WaitForAsync(() => logs.Messages.Any(m => m.Contains("waiting for it to finish", StringComparison.Ordinal)));

            Assert.False(download.IsCompleted);
            Assert.Equal(0, _hub.BytesServed);
            holder.Kill(entireProcessTree: true);
            DownloadResult result = await download;

            Assert.Equal(Files.Values.Sum(v => (long)v.Length), result.BytesTransferred);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    private static string LockSuffix(string destination) =>
        Path.GetFileNameWithoutExtension(Transfer.DownloadLock.PathFor(destination, "/x"))["model-".Length..];
}

/// <summary>Keeps every formatted log message.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Messages);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
