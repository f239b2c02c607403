using System.Globalization;
using System.Text.Json;

namespace AIBrix.RequestTraces;

/// <summary>
/// One interval of finished requests in AIBrix's request-trace format (version 3), as AIBrix's gateway writes it to
/// Redis under <c>aibrix:&lt;model&gt;_request_trace_&lt;unix seconds&gt;</c> and its GPU optimizer reads it: a JSON object of
/// integer counts keyed <c>"&lt;i&gt;:&lt;o&gt;"</c>, where i and o are log2 of the input and output tokens times the
/// precision, rounded (precision 10: buckets a tenth of a doubling wide), plus <c>meta_v</c>, <c>meta_interval_sec</c>,
/// <c>meta_precision</c>, <c>meta_total_reqs</c> and <c>meta_pending_reqs</c>.
/// </summary>
/// <param name="Counts">Requests per (log-scaled input, log-scaled output) bucket.</param>
/// <param name="IntervalSeconds">Length of the interval (<c>meta_interval_sec</c>).</param>
/// <param name="Precision">Buckets per doubling (<c>meta_precision</c>).</param>
/// <param name="TotalRequests">Requests in the interval (<c>meta_total_reqs</c>).</param>
/// <param name="PendingRequests">Requests still running at its end (<c>meta_pending_reqs</c>).</param>
public sealed record RequestTrace(
    IReadOnlyDictionary<(int Input, int Output), int> Counts, int IntervalSeconds, int Precision, int TotalRequests, int PendingRequests)
{
    /// <summary>The format version written (<c>meta_v</c>).</summary>
    public const int Version = 3;

    /// <summary>AIBrix's default precision: 10 buckets per doubling.</summary>
    public const int DefaultPrecision = 10;

    /// <summary>AIBrix's default interval.</summary>
    public const int DefaultIntervalSeconds = 10;

    /// <summary>How long AIBrix keeps a trace key (its <c>expireWriteRequestTraceIntervalInMins</c>).</summary>
    public static readonly TimeSpan KeyTimeToLive = TimeSpan.FromMinutes(10);

    /// <summary>The key of <paramref name="model"/>'s interval starting at <paramref name="start"/> (aligned to whole seconds).</summary>
    public static string KeyFor(string model, DateTimeOffset start) =>
        string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix(model)}{start.ToUnixTimeSeconds()}");

    /// <summary>What every trace key of <paramref name="model"/> starts with.</summary>
    public static string KeyPrefix(string model) => $"aibrix:{model}_request_trace_";

    /// <summary>The bucket of a request: log2 of each length times the precision, rounded; lengths below 1 count as 1.</summary>
    public static (int Input, int Output) BucketOf(int inputTokens, int outputTokens, int precision = DefaultPrecision) =>
        (Scale(inputTokens, precision), Scale(outputTokens, precision));

    /// <summary>The token length a bucket stands for: 2^(index / precision).</summary>
    public double TokensOf(int index) => Math.Pow(2, (double)index / Precision);

    /// <summary>The JSON object AIBrix writes (counts, then the meta fields).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var ((input, output), count) in Counts.OrderBy(c => c.Key))
            {
                json.WriteNumber(string.Create(CultureInfo.InvariantCulture, $"{input}:{output}"), count);
            }

            json.WriteNumber("meta_v", Version);
            json.WriteNumber("meta_interval_sec", IntervalSeconds);
            json.WriteNumber("meta_precision", Precision);
            json.WriteNumber("meta_total_reqs", TotalRequests);
            json.WriteNumber("meta_pending_reqs", PendingRequests);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Reads a trace as AIBrix's optimizer does: versions 1 and 2 lack some meta fields (defaults: interval 10 s,
    /// precision 1 for version 1, total = the sum of the counts); unknown <c>meta_*</c> fields are ignored. An error
    /// (naming <paramref name="source"/>) for anything else.
    /// </summary>
    public static (RequestTrace? Trace, string? Error) Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"{source}: a request trace is a JSON object");
            }

            var meta = new Dictionary<string, int>(StringComparer.Ordinal);
            var counts = new Dictionary<(int, int), int>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.Value.TryGetInt32(out int value) || value < 0)
                {
                    return (null, $"{source}: '{property.Name}' = {property.Value.GetRawText()}: counts and meta fields are whole numbers >= 0");
                }

                if (property.Name.StartsWith("meta_", StringComparison.Ordinal))
                {
                    meta[property.Name] = value;
                    continue;
                }

                string[] parts = property.Name.Split(':');
                if (parts.Length != 2
                    || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int input)
                    || !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int output))
                {
                    return (null, $"{source}: '{property.Name}' is not a bucket (\"<log2 input>:<log2 output>\") or a meta_ field");
                }

                counts[(input, output)] = value;
            }

            int version = meta.GetValueOrDefault("meta_v", 1);
            int precision = meta.GetValueOrDefault("meta_precision", 1);
            int interval = meta.GetValueOrDefault("meta_interval_sec", DefaultIntervalSeconds);
            if (precision < 1 || interval < 1)
            {
                return (null, $"{source}: meta_precision and meta_interval_sec must be at least 1");
            }

            int total = version >= 3 ? meta.GetValueOrDefault("meta_total_reqs", 0) : counts.Values.Sum();
            return (new RequestTrace(counts, interval, precision, total, meta.GetValueOrDefault("meta_pending_reqs", 0)), null);
        }
        catch (JsonException e)
        {
            return (null, $"{source}: not JSON ({e.Message})");
        }
    }

    /// <summary>Every bucket with its lengths in tokens and its count: what a load window adds up.</summary>
    public IEnumerable<(double InputTokens, double OutputTokens, int Count)> Buckets() =>
        Counts.Select(c => (TokensOf(c.Key.Input), TokensOf(c.Key.Output), c.Value));

    private static int Scale(int tokens, int precision) => (int)Math.Round(Math.Log2(Math.Max(tokens, 1)) * precision, MidpointRounding.AwayFromZero);
}
