using System.Net;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Config;

/// <summary>
/// Validates the <c>endpoints:</c> section, adding every problem to the list: each entry is checked in full, and only
/// entries without a problem become endpoints.
/// </summary>
internal static class EndpointsSectionReader
{
    /// <summary>
    /// The endpoints the section lists. With <paramref name="endpointsDiscovered"/> the list must be empty (the pods are
    /// the endpoints); without it, at least one is required.
    /// </summary>
    public static List<EndpointSpec> Read(IReadOnlyList<GatewayConfigFile.EndpointEntry?>? entries, string source, bool endpointsDiscovered, List<string> errors)
    {
        if (endpointsDiscovered)
        {
            if (entries is { Count: > 0 })
            {
                errors.Add($"{source}: endpoints: with --discovery kubernetes the endpoints are the pods labelled model.aibrix.ai/name; remove this list");
            }
        }
        else if (entries is null || entries.Count == 0)
        {
            errors.Add($"{source}: endpoints: at least one endpoint is required");
        }

        var endpoints = new List<EndpointSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < (entries?.Count ?? 0); i++)
        {
            string at = $"{source}: endpoints[{i}]";
            if (entries![i] is not { } entry)
            {
                errors.Add($"{at}: empty entry");
                continue;
            }

            if (Entry(entry, at, names, addresses, errors) is { } endpoint)
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints;
    }

    /// <summary>Parses an engine name (case-insensitive; <c>llama.cpp</c> and <c>llama-cpp</c> accepted): <see cref="EngineKinds.TryParse"/>.</summary>
    public static bool TryParseEngine(string value, out EngineKind engine) => EngineKinds.TryParse(value, out engine);

    /// <summary>One entry as an endpoint, or null after adding each of its problems; names and addresses must be unique.</summary>
    private static EndpointSpec? Entry(GatewayConfigFile.EndpointEntry entry, string at, HashSet<string> names, HashSet<string> addresses, List<string> errors)
    {
        int before = errors.Count;
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            errors.Add($"{at}.name: required");
        }
        else if (!names.Add(entry.Name))
        {
            errors.Add($"{at}.name: '{entry.Name}' is used by another endpoint");
        }

        if (string.IsNullOrWhiteSpace(entry.Address))
        {
            errors.Add($"{at}.address: required, as \"ip:port\"");
        }
        else if (!IPEndPoint.TryParse(entry.Address, out var ep) || ep.Port == 0 || !entry.Address.Contains(':', StringComparison.Ordinal))
        {
            // Envoy's ORIGINAL_DST cluster takes an IP literal from target-pod, not a host name.
            errors.Add($"{at}.address: '{entry.Address}' is not \"ip:port\" (an IP literal and a port 1-65535)");
        }
        else if (!addresses.Add(entry.Address))
        {
            errors.Add($"{at}.address: '{entry.Address}' is used by another endpoint");
        }

        if (string.IsNullOrWhiteSpace(entry.Model))
        {
            errors.Add($"{at}.model: required");
        }

        EngineKind engine = EngineKind.Vllm;
        if (entry.Engine is not null && !TryParseEngine(entry.Engine, out engine))
        {
            errors.Add($"{at}.engine: '{entry.Engine}' is not one of vllm, sglang, llamacpp");
        }

        if (entry.MetricsPort is { } port && (port < 1 || port > 65535))
        {
            errors.Add($"{at}.metricsPort: {port} is not a port (1-65535)");
        }

        foreach (var adapter in entry.Adapters ?? [])
        {
            if (string.IsNullOrWhiteSpace(adapter))
            {
                errors.Add($"{at}.adapters: empty adapter name");
            }
        }

        return errors.Count > before
            ? null
            : new EndpointSpec(
                entry.Name!.Trim(),
                entry.Address!.Trim(),
                entry.Model!.Trim(),
                engine,
                entry.MetricsPort,
                entry.Labels ?? [],
                entry.Adapters?.Select(a => a.Trim()).ToArray() ?? []);
    }
}
