using System.Globalization;

namespace AIBrix.Gateway.Core.Config;

/// <summary>How the gateway finds its Redis.</summary>
public enum RedisMode
{
    /// <summary>One server (<c>host:port</c>).</summary>
    Standalone,

    /// <summary>A Redis Cluster: any of its nodes as seeds; the client learns the rest and follows slot moves.</summary>
    Cluster,

    /// <summary>A primary found through Sentinel: the sentinels' addresses and the service (master) name.</summary>
    Sentinel,
}

/// <summary>
/// Where Redis is, validated: the <c>redis:</c> setting in either of its forms. The one-line form is
/// <c>host:port[,host:port...][,serviceName=NAME]</c> (a subset of StackExchange.Redis's configuration string,
/// which <see cref="ToString"/> gives back): one address is a standalone server, several are Cluster seeds,
/// <c>serviceName=</c> makes them sentinels. The mapping form names the mode, the endpoints and the service.
/// </summary>
/// <param name="Mode">The topology.</param>
/// <param name="Endpoints">Addresses (<c>host:port</c>): the server, the cluster seeds or the sentinels.</param>
/// <param name="ServiceName">The Sentinel service (master) name; null unless <see cref="RedisMode.Sentinel"/>.</param>
public sealed record RedisAddress(RedisMode Mode, IReadOnlyList<string> Endpoints, string? ServiceName)
{
    private const string ServiceNameOption = "serviceName=";

    /// <summary>The one-line form: <c>host:port[,host:port...][,serviceName=NAME]</c>.</summary>
    public override string ToString() =>
        string.Join(',', ServiceName is null ? Endpoints : [.. Endpoints, ServiceNameOption + ServiceName]);

    /// <summary>Parses the one-line form; <paramref name="setting"/> names it in errors (a config key or a flag).</summary>
    public static RedisAddress? Parse(string text, string setting, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        var endpoints = new List<string>();
        string? service = null;
        int before = errors.Count;
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith(ServiceNameOption, StringComparison.OrdinalIgnoreCase))
            {
                service = raw[ServiceNameOption.Length..].Trim();
                if (service.Length == 0)
                {
                    errors.Add($"{setting}: serviceName= needs the Sentinel service (master) name");
                }
            }
            else if (raw.Contains('=', StringComparison.Ordinal))
            {
                errors.Add($"{setting}: '{Cut(raw)}' is not an option here (only host:port addresses and serviceName=NAME)");
            }
            else
            {
                AddEndpoint(raw, setting, endpoints, errors);
            }
        }

        return Build(service is null ? (endpoints.Count > 1 ? RedisMode.Cluster : RedisMode.Standalone) : RedisMode.Sentinel,
            endpoints, service, setting, errors, before);
    }

    /// <summary>Validates the mapping form (<c>mode</c>, <c>endpoints</c>, <c>serviceName</c>).</summary>
    public static RedisAddress? FromParts(string? mode, IReadOnlyList<string> endpoints, string? serviceName, string setting, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        string? service = string.IsNullOrWhiteSpace(serviceName) ? null : serviceName.Trim();
        RedisMode kind;
        switch (mode?.Trim().ToLowerInvariant())
        {
            case null or "":
                kind = service is not null ? RedisMode.Sentinel : endpoints.Count > 1 ? RedisMode.Cluster : RedisMode.Standalone;
                break;
            case "standalone":
                kind = RedisMode.Standalone;
                break;
            case "cluster":
                kind = RedisMode.Cluster;
                break;
            case "sentinel":
                kind = RedisMode.Sentinel;
                break;
            default:
                errors.Add($"{setting}.mode: '{Cut(mode)}' is not one of standalone, cluster, sentinel");
                return null;
        }

        var valid = new List<string>();
        foreach (string endpoint in endpoints)
        {
            AddEndpoint(endpoint.Trim(), setting + ".endpoints", valid, errors);
        }

        return Build(kind, valid, service, setting, errors, before);
    }

    private static RedisAddress? Build(RedisMode mode, List<string> endpoints, string? service, string setting, List<string> errors, int before)
    {
        if (endpoints.Count == 0 && errors.Count == before)
        {
            errors.Add($"{setting}: no address: give host:port (a cluster: several seed nodes; sentinel: the sentinels)");
        }

        switch (mode)
        {
            case RedisMode.Standalone when endpoints.Count > 1:
                errors.Add($"{setting}: mode standalone takes one address, got {endpoints.Count} (several seeds are mode cluster)");
                break;
            case RedisMode.Standalone or RedisMode.Cluster when service is not null:
                errors.Add($"{setting}: serviceName is for mode sentinel only");
                break;
            case RedisMode.Sentinel when service is null:
                errors.Add($"{setting}: mode sentinel needs serviceName (the name the sentinels monitor the primary under)");
                break;
        }

        return errors.Count > before ? null : new RedisAddress(mode, endpoints, service);
    }

    private static void AddEndpoint(string endpoint, string setting, List<string> endpoints, List<string> errors)
    {
        int colon = endpoint.LastIndexOf(':');
        string host = colon > 0 ? endpoint[..colon].Trim('[', ']') : "";
        if (colon <= 0 || host.Length == 0 || host.Contains(' ', StringComparison.Ordinal)
            || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            errors.Add($"{setting}: '{Cut(endpoint)}' is not \"host:port\" (port 1-65535)");
            return;
        }

        endpoints.Add(endpoint);
    }

    private static string Cut(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "...";
}
