using System.Collections.Immutable;
using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// Holds the endpoints known from configuration or discovery and their health from metric scrapes,
/// and publishes an immutable <see cref="EndpointSnapshot"/> whenever the set or a readiness changes.
/// Writers (reloads, scrape results) serialise on a lock; readers only read <see cref="Current"/>.
/// </summary>
public sealed class EndpointRegistry : IEndpointSource
{
    private readonly Lock _writeLock = new();
    private readonly EndpointRegistryOptions _options;
    private EndpointSnapshot _current = EndpointSnapshot.Empty;

    /// <summary>Creates an empty registry.</summary>
    public EndpointRegistry(EndpointRegistryOptions? options = null)
    {
        _options = options ?? new EndpointRegistryOptions();
    }

    /// <summary>Raised after a new snapshot is published (outside the write lock).</summary>
    public event Action<EndpointSnapshot>? SnapshotChanged;

    /// <inheritdoc/>
    public EndpointSnapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// Replaces the set of endpoints. Endpoints whose name and address are unchanged keep their
    /// counters and health; new ones start not ready until scraped.
    /// </summary>
    public void Apply(IReadOnlyList<EndpointSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        EndpointSnapshot next;
        lock (_writeLock)
        {
            var existing = _current.All.ToDictionary(e => e.Spec.Key);
            var endpoints = new List<Endpoint>(specs.Count);
            foreach (var spec in specs)
            {
                if (existing.TryGetValue(spec.Key, out var endpoint))
                {
                    endpoint.UpdateSpec(spec);
                }
                else
                {
                    endpoint = new Endpoint(spec);
                    if (_options.AssumeReadyWithoutMetrics)
                    {
                        endpoint.SetHealth(EndpointHealth.Initial with { Ready = true, LastError = null });
                    }
                }

                endpoints.Add(endpoint);
            }

            next = Publish(endpoints);
        }

        SnapshotChanged?.Invoke(next);
    }

    /// <summary>Records a successful scrape; the endpoint becomes ready.</summary>
    public void OnScraped(string endpointName, EngineMetricsSnapshot metrics, DateTimeOffset at) =>
        UpdateHealth(endpointName, h => new EndpointHealth(true, metrics, at, null, 0));

    /// <summary>
    /// Records a failed scrape. After <see cref="EndpointRegistryOptions.FailuresBeforeUnready"/>
    /// failures in a row the endpoint stops receiving requests until a scrape succeeds.
    /// </summary>
    public void OnScrapeFailed(string endpointName, string reason, DateTimeOffset at) =>
        UpdateHealth(endpointName, h =>
        {
            int failures = h.ConsecutiveFailures + 1;
            bool ready = h.Ready && (failures < _options.FailuresBeforeUnready || _options.AssumeReadyWithoutMetrics);
            return h with { Ready = ready, LastError = reason, ConsecutiveFailures = failures };
        });

    private void UpdateHealth(string endpointName, Func<EndpointHealth, EndpointHealth> update)
    {
        EndpointSnapshot? next = null;
        lock (_writeLock)
        {
            if (!_current.ByName.TryGetValue(endpointName, out var endpoint))
            {
                return; // removed by a reload while its scrape was in flight
            }

            var before = endpoint.Health;
            var after = update(before);
            endpoint.SetHealth(after);
            if (before.Ready != after.Ready)
            {
                next = Publish(_current.All);
            }
        }

        if (next is not null)
        {
            SnapshotChanged?.Invoke(next);
        }
    }

    private EndpointSnapshot Publish(IEnumerable<Endpoint> endpoints)
    {
        var next = EndpointSnapshot.Build(_current.Version + 1, endpoints is ImmutableArray<Endpoint> a ? a : endpoints.ToList());
        Volatile.Write(ref _current, next);
        return next;
    }
}
