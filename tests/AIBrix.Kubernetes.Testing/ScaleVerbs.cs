using System.Globalization;
using System.Text.Json.Nodes;
using AIBrix.Labels;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// The <c>scale</c> subresource (<c>autoscaling/v1</c> <c>Scale</c>) of any resource that declares one: GET reads
/// the replica counts and the label selector from the paths the resource declares; PUT and PATCH write
/// <c>spec.replicas</c> back into the object (409 on a stale resourceVersion, 422 on a negative count), bump its
/// generation and notify watchers, exactly as the API server does for Deployments and for CRDs with
/// <c>subresources.scale</c>. A resource without one answers 404, as the API server does.
/// </summary>
internal sealed class ScaleVerbs(ObjectStore store, ResourceKinds kinds, ResourceVerbs verbs)
{
    public (int, JsonObject?) Get(ApiRoute r)
    {
        lock (store.Sync)
        {
            if (Resolve(r) is not { } target)
            {
                return Missing(r);
            }

            return (200, ToScale(target.Obj, target.Scale));
        }
    }

    public (int, JsonObject?) Update(ApiRoute r, JsonObject scale)
    {
        lock (store.Sync)
        {
            if (Resolve(r) is not { } target)
            {
                return Missing(r);
            }

            string? rv = scale["metadata"]?["resourceVersion"]?.GetValue<string>();
            return Write(r, target, scale["spec"]?["replicas"], rv);
        }
    }

    public (int, JsonObject?) Patch(ApiRoute r, JsonNode? patch, string contentType)
    {
        lock (store.Sync)
        {
            if (Resolve(r) is not { } target)
            {
                return Missing(r);
            }

            var current = ToScale(target.Obj, target.Scale);
            if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
            {
                if (!JsonPatch.Apply(current, patch as JsonArray ?? [], out string error))
                {
                    return (422, ApiObjects.Error(422, "Invalid", error));
                }
            }
            else
            {
                current = (JsonObject)JsonPatch.Merge(current, patch)!;
            }

            return Write(r, target, current["spec"]?["replicas"], current["metadata"]?["resourceVersion"]?.GetValue<string>());
        }
    }

    private (int, JsonObject?) Write(ApiRoute r, (JsonObject Obj, ScaleSubresource Scale) target, JsonNode? replicasNode, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != ApiObjects.Meta(target.Obj)["resourceVersion"]?.GetValue<string>())
        {
            return (409, ApiObjects.Error(409, "Conflict", $"Operation cannot be fulfilled on {r.Plural}.scale \"{r.Name}\": the object has been modified; please apply your changes to the latest version and try again"));
        }

        if (AsLong(replicasNode) is not { } replicas || replicas < 0 || replicas > int.MaxValue)
        {
            return (422, ApiObjects.Error(422, "Invalid", $"Scale.autoscaling \"{r.Name}\" is invalid: spec.replicas: Invalid value: {replicasNode?.ToJsonString() ?? "null"}: must be greater than or equal to 0"));
        }

        var next = (JsonObject)target.Obj.DeepClone();
        SetPath(next, target.Scale.SpecReplicasPath, JsonValue.Create(replicas));
        var (status, written) = verbs.Commit(r with { Sub = null }, target.Obj, next);
        return status == 200 && written is not null ? (200, ToScale(written, target.Scale)) : (status, written);
    }

    private (JsonObject Obj, ScaleSubresource Scale)? Resolve(ApiRoute r)
    {
        if (kinds.Of(r.Key, r.Plural).Scale is not { } scale)
        {
            return null;
        }

        return store.Table(r.Key).TryGetValue((r.Ns ?? "", r.Name!), out var obj) ? (obj, scale) : null;
    }

    private (int, JsonObject?) Missing(ApiRoute r) => kinds.Of(r.Key, r.Plural).Scale is null
        ? (404, ApiObjects.Error(404, "NotFound", $"the server could not find the requested resource ({r.Plural}/scale)"))
        : ResourceVerbs.NotFound(r);

    private static JsonObject ToScale(JsonObject obj, ScaleSubresource scale)
    {
        var meta = ApiObjects.Meta(obj);
        var status = new JsonObject { ["replicas"] = ReadInt(obj, scale.StatusReplicasPath) };
        if (SelectorOf(obj, scale) is { Length: > 0 } selector)
        {
            status["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = ReadInt(obj, scale.SpecReplicasPath) },
            ["status"] = status,
        };
    }

    // Built-in workloads render spec.selector as a string; CRDs name a path holding one already.
    private static string? SelectorOf(JsonObject obj, ScaleSubresource scale)
    {
        if (!scale.SelectorFromSpec)
        {
            return scale.LabelSelectorPath is { } path ? Read(obj, path)?.GetValue<string>() : null;
        }

        if (obj["spec"]?["selector"] is not JsonObject selector)
        {
            return null;
        }

        var matchLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            matchLabels[key] = value?.GetValue<string>() ?? "";
        }

        var expressions = new List<LabelRequirement>();
        foreach (var node in selector["matchExpressions"] as JsonArray ?? [])
        {
            var values = (node?["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>() ?? "");
            if (LabelRequirement.TryFromExpression(node?["key"]?.GetValue<string>() ?? "", node?["operator"]?.GetValue<string>(), values, out var requirement, out _))
            {
                expressions.Add(requirement!);
            }
        }

        return LabelSelector.TryCreate(matchLabels, expressions, out var built, out _) ? built!.ToString() : null;
    }

    private static long ReadInt(JsonObject obj, string path) => AsLong(Read(obj, path)) ?? 0;

    // Numbers arrive as whatever CLR type built them (int from tests, JsonElement from the wire): read the JSON text.
    private static long? AsLong(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;

    private static JsonNode? Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (string part in path.TrimStart('.').Split('.'))
        {
            node = node?[part];
        }

        return node;
    }

    private static void SetPath(JsonObject obj, string path, JsonNode value)
    {
        var parts = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (string part in parts[..^1])
        {
            node = (JsonObject)(node[part] ??= new JsonObject());
        }

        node[parts[^1]] = value;
    }
}
