using System.Collections.Frozen;
using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// One model-server pod the gateway may route to. Identity (name and address) is fixed; live state
/// (in-flight count, last metrics, readiness) changes under it and is read without locks.
/// The same instance survives configuration reloads while its name and address stay the same,
/// so counters are never lost or double-counted.
/// </summary>
public sealed class Endpoint
{
    private static int s_nextRoutingId;
    private int _inFlight;
    private long _inFlightTokens;
    private long _served;
    private long _errors;
    private volatile EndpointHealth _health = EndpointHealth.Initial;
    private int _consecutiveUpstreamFailures;
    private long _ejectedUntil;

    // The load signals computed from the latest health record (see SetHealth), held inline so a policy
    // scanning a thousand candidates reads one object each instead of following Health -> Metrics ->
    // histograms. Written before _metricsAtTicks, read after it; a reader racing a scrape may mix two
    // scrapes' values, each of them a real measurement.
    private LoadSignals _signals = LoadSignals.Missing;
    private long _metricsAtTicks = long.MinValue;

    /// <summary>Creates an endpoint from its static description.</summary>
    public Endpoint(EndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Labels = spec.Labels.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A process-wide number for this instance, never reused (the prefix index's pod key).</summary>
    internal int RoutingId { get; } = Interlocked.Increment(ref s_nextRoutingId);

    /// <summary>The static description this endpoint was made from.</summary>
    public EndpointSpec Spec { get; private set; }

    /// <summary>Unique name (the pod name in Kubernetes).</summary>
    public string Name => Spec.Name;

    /// <summary><c>ip:port</c> to send requests to; this is the value of <c>target-pod</c>.</summary>
    public string Address => Spec.Address;

    /// <summary>Base model served.</summary>
    public string Model => Spec.Model;

    /// <summary>Engine family.</summary>
    public EngineKind Engine => Spec.Engine;

    /// <summary>Labels used by selectors.</summary>
    public FrozenDictionary<string, string> Labels { get; private set; }

    /// <summary>Requests the gateway has sent here and not yet seen finish.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Estimated tokens (prompt plus output cap) of the requests in flight here, for token-load routing.</summary>
    public long InFlightTokens => Volatile.Read(ref _inFlightTokens);

    /// <summary>Requests routed here since start and sent on (a request the gateway refused after picking this endpoint, by a limit, is not counted).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Requests here that ended in an upstream error or a broken stream.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Latest scrape state; replaced whole, never mutated.</summary>
    public EndpointHealth Health => _health;

    /// <summary>The latest engine metrics, or null when none were ever scraped.</summary>
    public EngineMetricsSnapshot? Metrics => _health.Metrics;

    /// <summary>True when the endpoint may receive new requests.</summary>
    public bool IsReady => _health.Ready;

    /// <summary>Takes one in-flight slot carrying <paramref name="tokens"/> of token load; the lease gives both back exactly once.</summary>
    public InFlightLease Acquire(long tokens = 0)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _served);
        if (tokens != 0)
        {
            Interlocked.Add(ref _inFlightTokens, tokens);
        }

        return new InFlightLease(this, tokens);
    }

    internal void Release(long tokens, bool refused = false)
    {
        Interlocked.Decrement(ref _inFlight);
        if (refused)
        {
            Interlocked.Decrement(ref _served); // refused by the gateway after routing: the pod never saw it
        }

        if (tokens != 0)
        {
            Interlocked.Add(ref _inFlightTokens, -tokens);
        }
    }

    /// <summary>Counts an upstream failure for this endpoint.</summary>
    public void RecordError() => Interlocked.Increment(ref _errors);

    /// <summary>Consecutive requests that failed before the endpoint answered (passive health).</summary>
    public int ConsecutiveUpstreamFailures => Volatile.Read(ref _consecutiveUpstreamFailures);

    /// <summary>
    /// True while the endpoint is ejected by passive health at <paramref name="nowTimestamp"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/> value).
    /// </summary>
    public bool IsEjected(long nowTimestamp) => Volatile.Read(ref _ejectedUntil) > nowTimestamp;

    /// <summary>
    /// Records a request that failed before the endpoint answered (refused, reset, timed out). After
    /// <see cref="PassiveHealthOptions.EjectAfterFailures"/> in a row the endpoint is ejected until
    /// <paramref name="nowTimestamp"/> plus the cool-down: it gets no new requests even while its
    /// metrics still answer. Returns true when this failure ejected it.
    /// </summary>
    public bool RecordUpstreamFailure(long nowTimestamp, long coolDownTicks, int ejectAfterFailures)
    {
        RecordError();
        int failures = Interlocked.Increment(ref _consecutiveUpstreamFailures);
        if (failures < ejectAfterFailures)
        {
            return false;
        }

        Interlocked.Exchange(ref _consecutiveUpstreamFailures, 0);
        Volatile.Write(ref _ejectedUntil, nowTimestamp + coolDownTicks);
        return true;
    }

    /// <summary>Records a request the endpoint answered; clears the failure streak.</summary>
    public void RecordUpstreamSuccess()
    {
        if (Volatile.Read(ref _consecutiveUpstreamFailures) != 0)
        {
            Interlocked.Exchange(ref _consecutiveUpstreamFailures, 0);
        }
    }

    /// <summary>
    /// UTC ticks of the scrape behind the load signals below, or <see cref="long.MinValue"/> when no
    /// metrics were ever scraped.
    /// </summary>
    internal long MetricsAtTicks => Volatile.Read(ref _metricsAtTicks);

    /// <summary>The engine loads the "least X" policies compare, from the scrape at <see cref="MetricsAtTicks"/>.</summary>
    internal ref readonly LoadSignals Signals => ref _signals;

    internal void SetHealth(EndpointHealth health)
    {
        bool scraped = health is { Metrics: not null, LastSuccess: not null };
        _signals = scraped ? LoadSignals.From(health.Metrics!) : LoadSignals.Missing;
        Volatile.Write(ref _metricsAtTicks, scraped ? health.LastSuccess!.Value.UtcTicks : long.MinValue);
        _health = health;
    }

    /// <summary>Adopts a changed description (labels, adapters, engine) that keeps the same identity.</summary>
    internal void UpdateSpec(EndpointSpec spec)
    {
        Labels = spec.Labels.ToFrozenDictionary(StringComparer.Ordinal);
        Spec = spec;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Address})";
}
