namespace AIBrix.Bench.Replay;

/// <summary>Reads a trace file, choosing the format by extension: <c>.jsonl</c> Mooncake, <c>.csv</c> Azure.</summary>
public static class TraceReader
{
    /// <summary>Reads at most <paramref name="limit"/> requests (all when null), sorted by arrival.</summary>
    public static IReadOnlyList<TraceRequest> Read(string path, int? limit = null)
    {
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

    /// <summary>
    /// The shared data folder: walks up from <paramref name="start"/> to the folder holding AIBrix.sln and looks
    /// for <c>shared/data</c> beside it or above.
    /// </summary>
    public static string FindSharedData(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            dir = new DirectoryInfo(Directory.GetCurrentDirectory());
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AIBrix.sln")))
            {
                dir = dir.Parent;
            }
        }

        for (var up = dir; up is not null; up = up.Parent)
        {
            string candidate = Path.Combine(up.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"no shared/data folder found beside or above the repository root ({dir?.FullName ?? "AIBrix.sln not found"}); the traces live in ../shared/data");
    }
}
