namespace AIBrix.Bench.Autoscaling.ColdStart;

/// <summary>
/// The cold-start side of a closed-loop run: start-up time by artifact tier, the node pool and whether new pods are
/// steered toward nodes that hold the model (docs/runtime-coldstart.md).
/// </summary>
public sealed record ColdStartOptions
{
    /// <summary>Start-up seconds by tier.</summary>
    public StartupModel Startup { get; init; } = new();

    /// <summary>Nodes in the pool.</summary>
    public int Nodes { get; init; } = 16;

    /// <summary>Model pods one node runs at once (its GPUs).</summary>
    public int SlotsPerNode { get; init; } = 1;

    /// <summary>Nodes besides the <c>--min</c> pods' that hold the model in memory at the start.</summary>
    public int WarmMemory { get; init; }

    /// <summary>Nodes that hold the model on disk at the start.</summary>
    public int WarmDisk { get; init; }

    /// <summary>Whether new pods prefer nodes holding the model (the cold-start hint).</summary>
    public bool PlacementHint { get; init; }

    /// <summary>Every problem with these options.</summary>
    public IEnumerable<string> Validate(int min, int max)
    {
        if (Nodes < 1 || SlotsPerNode < 1)
        {
            yield return "--nodes and --node-slots must be at least 1";
        }
        else if (Nodes * SlotsPerNode < max)
        {
            yield return $"--nodes {Nodes} x --node-slots {SlotsPerNode} cannot hold --max {max} pods";
        }

        if (WarmMemory < 0 || WarmDisk < 0 || min + WarmMemory + WarmDisk > Nodes)
        {
            yield return $"--warm-nodes: {WarmMemory} in memory and {WarmDisk} on disk besides the {min} running pods' nodes do not fit in {Nodes} nodes";
        }
    }

    /// <summary>Parses <c>memory:M,disk:D</c> into this record's warm counts; an error otherwise.</summary>
    public ColdStartOptions WithWarmNodes(string text, List<string> errors)
    {
        var result = this;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count))
            {
                errors.Add($"--warm-nodes: '{part}' is not TIER:COUNT (e.g. memory:2,disk:5)");
                continue;
            }

            switch (part[..colon].ToLowerInvariant())
            {
                case "memory": result = result with { WarmMemory = count }; break;
                case "disk": result = result with { WarmDisk = count }; break;
                default: errors.Add($"--warm-nodes: '{part[..colon]}' is not memory or disk"); break;
            }
        }

        return result;
    }
}
