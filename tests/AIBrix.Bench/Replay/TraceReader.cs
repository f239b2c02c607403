namespace AIBrix.Bench.Replay;

/// <summary>
/// Reads a trace file, choosing the format by extension: <c>.jsonl</c> Mooncake, <c>.csv</c> Azure; or generates
/// one from a <c>gen:NAME?k=v</c> spec (<see cref="GeneratedTrace"/>).
/// </summary>
public static class TraceReader
{
    /// <summary>Reads at most <paramref name="limit"/> requests (all when null), sorted by arrival.</summary>
    public static IReadOnlyList<TraceRequest> Read(string path, int? limit = null)
    {
        if (GeneratedTrace.IsSpec(path))
        {
            return GeneratedTrace.Generate(path, limit);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"trace file not found: {path}", path);
        }

        var requests = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".json" => MooncakeTraceReader.Read(path, limit),
            ".csv" => AzureTraceReader.Read(path, limit),
            var other => throw new FormatException($"{path}: unknown trace format '{other}' (expected .jsonl Mooncake or .csv Azure)"),
        };

        // Stable: requests that share a timestamp keep their file order.
        return requests.OrderBy(r => r.ArrivalSeconds).ToList();
    }
}
