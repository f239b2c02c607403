using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Tests.Metrics;

/// <summary>Records sink calls in order and lets a test wait for one.</summary>
internal sealed class RecordingSink : IScrapeSink
{
    private readonly Lock _gate = new();
    private readonly List<(string Endpoint, EngineMetricsSnapshot? Metrics, string? Reason)> _calls = [];

    public IReadOnlyList<(string Endpoint, EngineMetricsSnapshot? Metrics, string? Reason)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public void OnScraped(string endpointName, EngineMetricsSnapshot metrics, DateTimeOffset at)
    {
        lock (_gate)
        {
            _calls.Add((endpointName, metrics, null));
        }
    }

    public void OnScrapeFailed(string endpointName, string reason, DateTimeOffset at)
    {
        lock (_gate)
        {
            _calls.Add((endpointName, null, reason));
        }
    }

    public async Task<int> WaitForAsync(Func<(string Endpoint, EngineMetricsSnapshot? Metrics, string? Reason), bool> match, int after = 0)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var calls = Calls;
            for (int i = after; i < calls.Count; i++)
            {
                if (match(calls[i]))
                {
                    return i;
                }
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException($"no matching sink call within 60 s; calls: {string.Join(" | ", Calls.Select(c => c.Reason ?? "ok"))}");
    }
}
