using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AIBrix.Runtime.Artifacts.Tests;

/// <summary>The downloader's Meter, as an exporter would see it through a MeterListener.</summary>
public sealed class ArtifactMetricsTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public ArtifactMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ArtifactMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    public void Dispose()
    {
        _listener.Dispose();
        _temp.Dispose();
    }

    private double Sum(string name, string tag, string value) =>
        _measurements.Where(m => m.Name == name && Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    [Fact]
    public async Task DownloadAsync_CopyAndFailure_ReportBytesFilesOutcomesAndDuration()
    {
        string source = _temp.Combine("metrics-source");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "a.bin"), TempFolder.Bytes(12_345, 1));
        using var downloader = new ArtifactDownloader(new ArtifactDownloaderOptions { HardLinkLocalFiles = false });

        await downloader.DownloadAsync(new DownloadRequest(source, _temp.Combine("dest")));
        await Assert.ThrowsAsync<ArtifactException>(() => downloader.DownloadAsync(new DownloadRequest(_temp.Combine("missing"), _temp.Combine("dest2"))));

        // Other tests may run at once: only "at least" holds for shared tags.
        Assert.True(Sum("aibrix.artifacts.bytes", "source", "local") >= 12_345);
        Assert.True(Sum("aibrix.artifacts.files", "outcome", "copied") >= 1);
        Assert.Contains(_measurements, m => m.Name == "aibrix.artifacts.downloads" && Equals(m.Tags["outcome"], "ok") && Equals(m.Tags["source"], "local"));
        Assert.Contains(_measurements, m => m.Name == "aibrix.artifacts.downloads" && Equals(m.Tags["outcome"], "not_found"));
        Assert.Contains(_measurements, m => m.Name == "aibrix.artifacts.download.duration" && m.Value >= 0);
    }
}
