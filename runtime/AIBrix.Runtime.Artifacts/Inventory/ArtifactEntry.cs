using System.Text.Json.Serialization;

namespace AIBrix.Runtime.Artifacts.Inventory;

/// <summary>One artifact the node holds (a model or an adapter folder under the models folder).</summary>
/// <param name="Name">Its path under the models folder, with '/' (<c>meta-llama/Llama-3.1-8B</c>).</param>
/// <param name="Source">Where it came from (<c>hf://...</c>, <c>s3://...</c>) when the download recorded it, else null.</param>
/// <param name="Path">Its folder on the node.</param>
/// <param name="Files">Its files (hidden files and folders, such as the downloader's <c>.cache</c>, excluded).</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="Tier"><see cref="ArtifactTiers.Memory"/> when at least the inventory's threshold of its bytes is in
/// the page cache, else <see cref="ArtifactTiers.Disk"/>.</param>
/// <param name="ResidentBytes">Bytes in the page cache; null where residency cannot be measured.</param>
/// <param name="ResidentFraction"><paramref name="ResidentBytes"/> over <paramref name="Bytes"/> (1 for an empty artifact); null likewise.</param>
public sealed record ArtifactEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("tier")] string Tier,
    [property: JsonPropertyName("resident_bytes")] long? ResidentBytes,
    [property: JsonPropertyName("resident_fraction")] double? ResidentFraction);

/// <summary>What <c>GET /v1/artifacts</c> answers: the node and what it holds.</summary>
/// <param name="Node">The node's name (the runtime's <c>NODE_NAME</c>, from the downward API), or null when unset.</param>
/// <param name="ModelsDir">The folder scanned.</param>
/// <param name="Residency"><c>mincore</c> when page-cache residency was measured, <c>unavailable</c> otherwise
/// (every artifact is then <c>disk</c>).</param>
/// <param name="ObservedAt">When the scan ran.</param>
/// <param name="Artifacts">The artifacts, by name.</param>
public sealed record ArtifactReport(
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("models_dir")] string ModelsDir,
    [property: JsonPropertyName("residency")] string Residency,
    [property: JsonPropertyName("observed_at")] DateTimeOffset ObservedAt,
    [property: JsonPropertyName("artifacts")] IReadOnlyList<ArtifactEntry> Artifacts);
