using AIBrix.Runtime.Artifacts.Inventory;

namespace AIBrix.Runtime.Artifacts.Tests.Inventory;

/// <summary>The artifact inventory over a real folder, with the real mincore probe and with a probe that knows nothing.</summary>
public sealed class ArtifactInventoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aibrix-inventory-" + Guid.NewGuid().ToString("N"));

    public ArtifactInventoryTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, int bytes)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());
    }

    [Fact]
    public void Scan_OrgNameFlatAndAdapterLayouts_OneEntryEachWithFilesAndBytesHiddenFilesLeftOut()
    {
        Write("meta-llama/Llama-3.1-8B/config.json", 100);
        Write("meta-llama/Llama-3.1-8B/weights/model-00001.safetensors", 5000);
        Write("meta-llama/Llama-3.1-8B/.cache/aibrix/model-00002.safetensors.incomplete", 7000);
        Write("qwen3-0.6b/model.safetensors", 3000);
        Write("adapters/lora-sql/adapter_model.safetensors", 200);
        Write("empty-folder/.lock", 1);
        ArtifactInventory.RecordSource(Path.Combine(_root, "qwen3-0.6b"), "hf://Qwen/Qwen3-0.6B");

        var report = new ArtifactInventory(new NoPageCacheProbe()).Scan(_root, "node-a", DateTimeOffset.UnixEpoch);

        Assert.Equal("node-a", report.Node);
        Assert.Equal("unavailable", report.Residency);
        Assert.Equal(["adapters/lora-sql", "meta-llama/Llama-3.1-8B", "qwen3-0.6b"], report.Artifacts.Select(a => a.Name));
        var llama = report.Artifacts[1];
        Assert.Equal((2, 5100L), (llama.Files, llama.Bytes));
        Assert.Null(llama.Source);
        Assert.Equal("hf://Qwen/Qwen3-0.6B", report.Artifacts[2].Source);
        Assert.All(report.Artifacts, a => Assert.Equal((ArtifactTiers.Disk, (double?)null, (long?)null), (a.Tier, a.ResidentFraction, a.ResidentBytes)));
    }

    [Fact]
    public void Scan_MissingFolder_NothingHeld()
    {
        var report = new ArtifactInventory(new NoPageCacheProbe()).Scan(Path.Combine(_root, "absent"), null, DateTimeOffset.UnixEpoch);

        Assert.Empty(report.Artifacts);
        Assert.Null(report.Node);
    }

    [Fact]
    public void Scan_FileJustWrittenAndRead_IsInMemoryOnLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mincore(2) is Linux's: elsewhere the probe is NoPageCacheProbe
        }

        Write("model-a/model.safetensors", 3 * 4096 + 17);
        _ = File.ReadAllBytes(Path.Combine(_root, "model-a/model.safetensors")); // a read fills the page cache

        var report = new ArtifactInventory(MincoreProbe.Create()).Scan(_root, null, DateTimeOffset.UnixEpoch);

        var entry = Assert.Single(report.Artifacts);
        Assert.Equal("mincore", report.Residency);
        Assert.Equal(1.0, entry.ResidentFraction);
        Assert.Equal(entry.Bytes, entry.ResidentBytes);
        Assert.Equal(ArtifactTiers.Memory, entry.Tier);
    }

    [Fact]
    public void Scan_PartlyResident_BelowTheThresholdIsDisk()
    {
        Write("model-a/a.bin", 1000);
        Write("model-a/b.bin", 3000);
        var probe = new HalfProbe();

        var entry = Assert.Single(new ArtifactInventory(probe, memoryThreshold: 0.8).Scan(_root, null, DateTimeOffset.UnixEpoch).Artifacts);

        Assert.Equal(2000, entry.ResidentBytes);
        Assert.Equal(0.5, entry.ResidentFraction);
        Assert.Equal(ArtifactTiers.Disk, entry.Tier);
        Assert.Equal(ArtifactTiers.Memory, Assert.Single(new ArtifactInventory(probe, memoryThreshold: 0.5).Scan(_root, null, DateTimeOffset.UnixEpoch).Artifacts).Tier);
    }

    [Fact]
    public void MincoreProbe_EmptyAndMissingFiles_ZeroAndUnknown()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mincore(2) is Linux's: elsewhere the probe is NoPageCacheProbe
        }

        Write("empty", 0);
        var probe = MincoreProbe.Create();

        Assert.Equal(0, probe.ResidentBytes(Path.Combine(_root, "empty"), 0));
        Assert.Null(probe.ResidentBytes(Path.Combine(_root, "missing"), 10));
    }

    private sealed class HalfProbe : IPageCacheProbe
    {
        public string Name => "half";

        public long? ResidentBytes(string path, long length) => length / 2;
    }
}
