using System.Text.Json.Nodes;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// Samples the fleet's RayClusters in the API server over and over while a test runs, so bounds are checked on the
/// states between the steps too: the most clusters that existed at once and the fewest ready ones.
/// </summary>
internal sealed class ClusterSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _maxTotal;
    private int _minReady = int.MaxValue;

    public ClusterSampler(Func<IReadOnlyList<JsonObject>> clusters)
    {
        _run = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var all = clusters();
                int ready = all.Count(KubeRayStandIn.IsReady);
                Interlocked.Exchange(ref _maxTotal, Math.Max(Volatile.Read(ref _maxTotal), all.Count));
                Interlocked.Exchange(ref _minReady, Math.Min(Volatile.Read(ref _minReady), ready));
                Samples++;
                await Task.Delay(1);
            }
        });
    }

    public int MaxTotal => Volatile.Read(ref _maxTotal);

    public int MinReady => Volatile.Read(ref _minReady);

    public int Samples { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
