using System.Collections.Concurrent;

namespace AIBrix.RequestTraces;

/// <summary>
/// Counts finished requests per model into AIBrix's log-scaled buckets (<see cref="RequestTrace.BucketOf"/>) until the
/// interval is drained. Thread-safe and cheap enough for the gateway's request path: one dictionary lookup and one
/// interlocked increment per request.
/// </summary>
public sealed class RequestTraceRecorder(int precision = RequestTrace.DefaultPrecision)
{
    // Buckets are never removed (a model has at most a few hundred); draining swaps each count for 0, so every
    // increment lands in exactly one interval.
    private readonly ConcurrentDictionary<string, ModelCounts> _models = new(StringComparer.Ordinal);

    private sealed class ModelCounts
    {
        public readonly ConcurrentDictionary<(int, int), StrongBox> Buckets = new();
        public int Total;
    }

    private sealed class StrongBox
    {
        public int Value;
    }

    /// <summary>Records one finished request of <paramref name="model"/>.</summary>
    public void Record(string model, int inputTokens, int outputTokens)
    {
        var counts = _models.GetOrAdd(model, static _ => new ModelCounts());
        var box = counts.Buckets.GetOrAdd(RequestTrace.BucketOf(inputTokens, outputTokens, precision), static _ => new StrongBox());
        Interlocked.Increment(ref box.Value);
        Interlocked.Increment(ref counts.Total);
    }

    /// <summary>
    /// Takes the counts so far and starts a new interval: one trace per model that saw requests. A request recorded
    /// while draining lands in this interval or the next, never in neither.
    /// </summary>
    public IReadOnlyList<(string Model, RequestTrace Trace)> Drain(int intervalSeconds)
    {
        var traces = new List<(string, RequestTrace)>();
        foreach (var (model, counts) in _models)
        {
            var buckets = new Dictionary<(int, int), int>();
            foreach (var (bucket, box) in counts.Buckets)
            {
                int n = Interlocked.Exchange(ref box.Value, 0);
                if (n > 0)
                {
                    buckets[bucket] = n;
                }
            }

            int total = Interlocked.Exchange(ref counts.Total, 0);
            if (buckets.Count > 0 || total > 0)
            {
                traces.Add((model, new RequestTrace(buckets, intervalSeconds, precision, total, 0)));
            }
        }

        return traces;
    }
}
