using StackExchange.Redis;

namespace AIBrix.RequestTraces;

/// <summary>
/// Request traces in Redis under AIBrix's keys (<see cref="RequestTrace.KeyFor"/>), kept for
/// <see cref="RequestTrace.KeyTimeToLive"/> as AIBrix's gateway keeps them: the gateway's load monitor writes one per
/// model and interval, the optimizer reads a sliding window of them.
/// </summary>
public sealed class RedisRequestTraceStore(IConnectionMultiplexer redis)
{
    /// <summary>Writes <paramref name="trace"/> as <paramref name="model"/>'s interval starting at <paramref name="start"/>.</summary>
    public Task WriteAsync(string model, DateTimeOffset start, RequestTrace trace) =>
        redis.GetDatabase().StringSetAsync(RequestTrace.KeyFor(model, start), trace.ToJson(), RequestTrace.KeyTimeToLive);

    /// <summary>
    /// The traces of <paramref name="model"/> for the intervals starting in [<paramref name="from"/>, <paramref name="to"/>),
    /// stepping by <paramref name="interval"/> from <paramref name="from"/> aligned down to it; intervals nobody wrote
    /// are simply absent. Keys that do not parse are reported, each naming its key.
    /// </summary>
    public async Task<(IReadOnlyList<RequestTrace> Traces, IReadOnlyList<string> Errors)> ReadAsync(
        string model, DateTimeOffset from, DateTimeOffset to, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        long step = (long)interval.TotalSeconds;
        long first = from.ToUnixTimeSeconds() / step * step;
        var keys = new List<RedisKey>();
        for (long ts = first; ts < to.ToUnixTimeSeconds(); ts += step)
        {
            keys.Add(RequestTrace.KeyFor(model, DateTimeOffset.FromUnixTimeSeconds(ts)));
        }

        if (keys.Count == 0)
        {
            return ([], []);
        }

        // One GET per key, pipelined, rather than one MGET: the keys (AIBrix's names, no hash tag) fall in
        // different slots of a Redis Cluster, which refuses a multi-key command across slots.
        var db = redis.GetDatabase();
        var values = await Task.WhenAll(keys.Select(key => db.StringGetAsync(key))).ConfigureAwait(false);
        var traces = new List<RequestTrace>();
        var errors = new List<string>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                continue;
            }

            var (trace, error) = RequestTrace.Parse(values[i].ToString(), keys[i].ToString());
            if (trace is not null)
            {
                traces.Add(trace);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return (traces, errors);
    }
}
