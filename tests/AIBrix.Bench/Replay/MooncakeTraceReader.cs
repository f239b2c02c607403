using System.Text.Json;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Mooncake FAST'25 JSONL: <c>timestamp</c> (ms), <c>input_length</c>, <c>output_length</c>, <c>hash_ids</c>
/// (one per 512 prompt tokens, so <c>len(hash_ids) == ceil(input_length / 512)</c>).
/// </summary>
public static class MooncakeTraceReader
{
    /// <summary>Reads the file; a malformed line throws <see cref="TraceFormatException"/>.</summary>
    public static List<TraceRequest> Read(string path, int? limit = null)
    {
        var requests = new List<TraceRequest>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (limit is { } max && requests.Count >= max)
            {
                break;
            }

            requests.Add(Parse(path, lineNumber, line));
        }

        return requests;
    }

    private static TraceRequest Parse(string path, int lineNumber, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TraceFormatException(path, lineNumber, "expected a JSON object");
            }

            double timestampMs = Number(root, "timestamp", path, lineNumber);
            int input = (int)Number(root, "input_length", path, lineNumber);
            int output = (int)Number(root, "output_length", path, lineNumber);
            if (!root.TryGetProperty("hash_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
            {
                throw new TraceFormatException(path, lineNumber, "missing array 'hash_ids'");
            }

            if (input <= 0 || output < 0 || timestampMs < 0)
            {
                throw new TraceFormatException(path, lineNumber, "timestamp, input_length and output_length must be non-negative (input_length positive)");
            }

            int expected = (input + TraceRequest.BlockTokens - 1) / TraceRequest.BlockTokens;
            if (ids.GetArrayLength() != expected)
            {
                throw new TraceFormatException(path, lineNumber,
                    $"hash_ids has {ids.GetArrayLength()} ids but input_length {input} needs {expected} blocks of {TraceRequest.BlockTokens}");
            }

            var blocks = new long[expected];
            int i = 0;
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out blocks[i]) || blocks[i] < 0)
                {
                    throw new TraceFormatException(path, lineNumber, $"hash_ids[{i}] is not a non-negative integer");
                }

                i++;
            }

            return new TraceRequest(timestampMs / 1000.0, input, Math.Max(1, output), blocks);
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, lineNumber, $"invalid JSON ({e.Message})");
        }
    }

    private static double Number(JsonElement root, string name, string path, int lineNumber) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new TraceFormatException(path, lineNumber, $"missing number '{name}'");
}
