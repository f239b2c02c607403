using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.ModelRouter;

/// <summary>
/// Pure: the Service and the HTTPRoute one model's workloads should have. The Service selects the model's pods by
/// label; the route sends the OpenAI paths with header <c>model: NAME</c> to it. Both are owned by every workload of
/// the model (no controller owner: two Deployments of one model share them), so the garbage collector removes them
/// with the last one.
/// </summary>
public static class ModelRouteObjects
{
    /// <summary>Label marking the objects this controller manages; it never touches objects without it.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The <see cref="ManagedByLabel"/> value.</summary>
    public const string ManagedBy = "aibrix-modelrouter";

    /// <summary>The request header the route matches on (AIBrix: <c>model</c>).</summary>
    public const string ModelHeader = "model";

    /// <summary>The route's name suffix (AIBrix: <c>{model}-router</c>).</summary>
    public const string RouteSuffix = "-router";

    /// <summary>The path prefixes routed, as AIBrix's model router lists them.</summary>
    public static IReadOnlyList<string> ModelPaths { get; } =
    [
        "/v1/completions", "/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/v1/rerank", "/v1/classify",
        "/generate", "/generatevideo", "/v1/audio/transcriptions", "/v1/audio/translations",
    ];

    /// <summary>
    /// The Service's name: the <c>model.aibrix.ai/service-name</c> annotation, else the model name made a DNS-1035 label
    /// (lowercase; other characters become '-'; at most 63, leaving room for <see cref="RouteSuffix"/> on the route).
    /// </summary>
    public static string ServiceName(IReadOnlyList<ModelWorkload> workloads)
    {
        if (workloads.Select(w => w.ServiceName).FirstOrDefault(n => n is not null) is { } annotated)
        {
            return annotated;
        }

        var name = new StringBuilder();
        foreach (char c in workloads[0].Model.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        string text = name.ToString().Trim('-');
        text = text.Length > 63 - RouteSuffix.Length ? text[..(63 - RouteSuffix.Length)].TrimEnd('-') : text;
        return text.Length == 0 || !char.IsAsciiLetter(text[0]) ? "m-" + text : text;
    }

    /// <summary>Owner references to every workload, sorted so equal sets compare equal.</summary>
    public static List<V1OwnerReference> Owners(IReadOnlyList<ModelWorkload> workloads) =>
        [.. workloads.OrderBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal)
            .Select(w => new V1OwnerReference { ApiVersion = w.ApiVersion, Kind = w.Kind, Name = w.Name, Uid = w.Uid })];

    /// <summary>The port served: the first workload's (by kind and name), so the choice is stable.</summary>
    public static int Port(IReadOnlyList<ModelWorkload> workloads) =>
        workloads.OrderBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal).First().Port;

    /// <summary>Labels both objects carry.</summary>
    public static Dictionary<string, string> Labels(string model) => new(StringComparer.Ordinal)
    {
        [ModelLabels.Name] = model,
        [ManagedByLabel] = ManagedBy,
    };

    /// <summary>The Service's spec: the model's pods, one port named http.</summary>
    public static V1ServiceSpec ServiceSpec(string model, int port) => new()
    {
        Selector = new Dictionary<string, string> { [ModelLabels.Name] = model },
        Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = port, Protocol = "TCP" }],
    };

    /// <summary>The HTTPRoute's spec.</summary>
    public static JsonObject RouteSpec(IReadOnlyList<ModelWorkload> workloads, string serviceName, ModelRouterOptions options)
    {
        string model = workloads[0].Model;
        var paths = ModelPaths.Concat(workloads.SelectMany(w => w.CustomPaths).Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var matches = new JsonArray();
        foreach (string path in paths)
        {
            matches.Add(new JsonObject
            {
                ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = path },
                ["headers"] = new JsonArray(new JsonObject { ["type"] = "Exact", ["name"] = ModelHeader, ["value"] = model }),
            });
        }

        return new JsonObject
        {
            ["parentRefs"] = new JsonArray(new JsonObject
            {
                ["group"] = HttpRoute.Group,
                ["kind"] = "Gateway",
                ["name"] = options.GatewayName,
                ["namespace"] = options.GatewayNamespace,
            }),
            ["rules"] = new JsonArray(new JsonObject
            {
                ["matches"] = matches,
                ["backendRefs"] = new JsonArray(new JsonObject { ["name"] = serviceName, ["port"] = Port(workloads) }),
                ["timeouts"] = new JsonObject { ["request"] = ((int)options.RequestTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s" },
            }),
        };
    }
}
