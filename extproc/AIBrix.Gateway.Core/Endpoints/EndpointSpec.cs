using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>The static description of an endpoint, from the config file or from discovery.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Address"><c>ip:port</c> of the serving port.</param>
/// <param name="Model">Base model name as clients send it.</param>
/// <param name="Engine">Engine family.</param>
/// <param name="MetricsPort">Port of <c>/metrics</c>; the serving port when null.</param>
/// <param name="Labels">Labels for selectors.</param>
/// <param name="Adapters">LoRA adapters loaded on this endpoint; each is routable as a model name.</param>
public sealed record EndpointSpec(
    string Name,
    string Address,
    string Model,
    EngineKind Engine,
    int? MetricsPort,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Adapters)
{
    /// <summary>Host part of <see cref="Address"/>.</summary>
    public string Host => Address[..Address.LastIndexOf(':')];

    /// <summary>The scrape URL of this endpoint's metrics.</summary>
    public Uri MetricsUri
    {
        get
        {
            int port = MetricsPort ?? int.Parse(Address.AsSpan(Address.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
            string host = Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]" : Host;
            return new Uri($"http://{host}:{port}/metrics");
        }
    }

    /// <summary>Identity across reloads: an endpoint with the same key keeps its live counters.</summary>
    public (string Name, string Address) Key => (Name, Address);
}
