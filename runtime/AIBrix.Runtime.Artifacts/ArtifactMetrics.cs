using System.Diagnostics.Metrics;

namespace AIBrix.Runtime.Artifacts;

/// <summary>
/// The downloader's instruments on the Meter <see cref="MeterName"/>, for the app to export (a
/// <c>MeterListener</c>, OpenTelemetry or prometheus-net's meter adapter). Tags: <c>source</c> (huggingface, s3,
/// local) and, where it applies, <c>outcome</c>.
/// </summary>
public static class ArtifactMetrics
{
    /// <summary>The Meter's name.</summary>
    public const string MeterName = "AIBrix.Runtime.Artifacts";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Bytes fetched from sources (copies of local files included; hard links and skipped files not).</summary>
    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>("aibrix.artifacts.bytes", "By", "Bytes fetched from artifact sources");

    /// <summary>Files finished, by outcome: downloaded, copied, linked, skipped (already here).</summary>
    internal static readonly Counter<long> Files = Meter.CreateCounter<long>("aibrix.artifacts.files", "{file}", "Artifact files finished, by outcome");

    /// <summary>Download calls, by outcome: ok or the <see cref="ArtifactErrorKind"/> in snake case, or cancelled.</summary>
    internal static readonly Counter<long> Downloads = Meter.CreateCounter<long>("aibrix.artifacts.downloads", "{download}", "Artifact downloads, by outcome");

    /// <summary>Wall time of download calls.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("aibrix.artifacts.download.duration", "s", "Wall time of artifact downloads");

    /// <summary>The <c>outcome</c> tag of a failure kind.</summary>
    internal static string OutcomeOf(ArtifactErrorKind kind) => kind switch
    {
        ArtifactErrorKind.BadSource => "bad_source",
        ArtifactErrorKind.NotFound => "not_found",
        ArtifactErrorKind.Unauthorized => "unauthorized",
        ArtifactErrorKind.ChecksumMismatch => "checksum_mismatch",
        _ => "unavailable",
    };
}
