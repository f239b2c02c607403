using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Observability.History;

/// <summary>Samples every endpoint into <see cref="EndpointHistory"/> once per bucket.</summary>
internal sealed class HistorySampler(EndpointHistory history, EndpointRegistry registry, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(history.Options.BucketSeconds), time);
        do
        {
            history.Sample(registry.Current);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
