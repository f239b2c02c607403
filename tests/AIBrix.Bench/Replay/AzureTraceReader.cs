using System.Globalization;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Azure LLM inference trace CSV: <c>TIMESTAMP,ContextTokens,GeneratedTokens</c> with a header row.
/// The trace has no prompt content, so every prompt is taken as unique: each request gets block ids no
/// other request shares (a lower bound on what prefix caching can do for it).
/// </summary>
public static class AzureTraceReader
{
    /// <summary>First block id handed out, far from Mooncake's ids.</summary>
    private const long UniqueBlockBase = 1L << 40;

    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>Reads the file; a malformed line throws <see cref="TraceFormatException"/>.</summary>
    public static List<TraceRequest> Read(string path, int? limit = null)
    {
        var requests = new List<TraceRequest>();
        int lineNumber = 0;
        DateTime? first = null;
        long nextBlock = UniqueBlockBase;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!line.TrimStart('\uFEFF').StartsWith("TIMESTAMP,", StringComparison.OrdinalIgnoreCase))
                {
                    throw new TraceFormatException(path, 1, "expected the header 'TIMESTAMP,ContextTokens,GeneratedTokens'");
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (limit is { } max && requests.Count >= max)
            {
                break;
            }

            string[] fields = line.Split(',');
            if (fields.Length != 3)
            {
                throw new TraceFormatException(path, lineNumber, $"expected 3 comma-separated fields, found {fields.Length}");
            }

            if (!DateTime.TryParseExact(fields[0].Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                throw new TraceFormatException(path, lineNumber, $"TIMESTAMP '{fields[0]}' is not 'yyyy-MM-dd HH:mm:ss.fffffff'");
            }

            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int context) || context <= 0)
            {
                throw new TraceFormatException(path, lineNumber, $"ContextTokens '{fields[1]}' is not a positive integer");
            }

            if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int generated))
            {
                throw new TraceFormatException(path, lineNumber, $"GeneratedTokens '{fields[2]}' is not a non-negative integer");
            }

            first ??= at;
            var blocks = new long[(context + TraceRequest.BlockTokens - 1) / TraceRequest.BlockTokens];
            for (int b = 0; b < blocks.Length; b++)
            {
                blocks[b] = nextBlock++;
            }

            requests.Add(new TraceRequest((at - first.Value).TotalSeconds, context, Math.Max(1, generated), blocks));
        }

        return requests;
    }
}
