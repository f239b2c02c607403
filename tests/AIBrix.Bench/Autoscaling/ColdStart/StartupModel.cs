using System.Globalization;

namespace AIBrix.Bench.Autoscaling.ColdStart;

/// <summary>Where a node holds a model's artifacts, from slowest to fastest to start a pod from.</summary>
public enum ArtifactTier
{
    /// <summary>Not on the node: the pod downloads the weights first.</summary>
    Remote,

    /// <summary>On the node's disk: the pod reads them from disk.</summary>
    Disk,

    /// <summary>In the node's page cache: the pod reads them from memory.</summary>
    Memory,
}

/// <summary>
/// A pod's start-up time by where its node holds the model (<c>--startup-model remote:S,disk:S,memory:S</c>): image
/// and engine start plus loading the weights from that tier. The defaults are the paper's 2-3 minutes from a remote
/// store, about a minute from local disk and 20 s from the page cache.
/// </summary>
public sealed record StartupModel(double RemoteSeconds = 180, double DiskSeconds = 60, double MemorySeconds = 20)
{
    /// <summary>Seconds to start a pod whose node holds the model at <paramref name="tier"/>.</summary>
    public double SecondsFor(ArtifactTier tier) => tier switch
    {
        ArtifactTier.Memory => MemorySeconds,
        ArtifactTier.Disk => DiskSeconds,
        _ => RemoteSeconds,
    };

    /// <summary>Parses <c>remote:S,disk:S,memory:S</c> (any order; a missing tier keeps its default); null and an error otherwise.</summary>
    public static StartupModel? Parse(string text, out string? error)
    {
        error = null;
        var model = new StartupModel();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !double.TryParse(part.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                || !double.IsFinite(seconds) || seconds < 0)
            {
                error = $"--startup-model: '{part}' is not TIER:SECONDS (e.g. remote:180,disk:60,memory:20)";
                return null;
            }

            switch (part[..colon].ToLowerInvariant())
            {
                case "remote": model = model with { RemoteSeconds = seconds }; break;
                case "disk": model = model with { DiskSeconds = seconds }; break;
                case "memory": model = model with { MemorySeconds = seconds }; break;
                default:
                    error = $"--startup-model: '{part[..colon]}' is not one of remote, disk, memory";
                    return null;
            }
        }

        return model;
    }
}
