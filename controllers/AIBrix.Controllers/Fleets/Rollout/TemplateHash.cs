using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AIBrix.Kubernetes.Crds;
using k8s;

namespace AIBrix.Controllers.Fleets.Rollout;

/// <summary>
/// A fleet's template as its replica sets carry it: the fleet's name on the RayClusters and, with the model label, on
/// the head pods (the scale selector and the gateway find them there, never the workers); the
/// <c>pod-template-hash</c> of that template and the collision count names the replica set.
/// </summary>
public static class TemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The fleet's template with the fleet's labels added (no hash yet).</summary>
    public static JsonObject Render(RayClusterFleet fleet)
    {
        var template = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(fleet.Spec.Template))!;
        string name = fleet.Metadata.Name;
        Labels(template)[FleetLabels.FleetName] = name;
        var head = HeadLabels(template);
        head[FleetLabels.FleetName] = name;
        string? model = Find(fleet.Spec.Template.Metadata?.Labels, ModelLabels.Name) ?? Find(fleet.Metadata.Labels, ModelLabels.Name);
        if (model is not null && head[ModelLabels.Name] is null)
        {
            head[ModelLabels.Name] = model;
        }

        return template;
    }

    /// <summary>The hash of a rendered template and the collision count, in the letters Kubernetes uses for it.</summary>
    public static string Compute(JsonObject rendered, int collisionCount)
    {
        uint hash = 2166136261; // FNV-1a, 32 bit
        foreach (byte b in Encoding.UTF8.GetBytes(Canonical(rendered) + "/" + collisionCount.ToString(CultureInfo.InvariantCulture)))
        {
            hash = (hash ^ b) * 16777619;
        }

        var text = new StringBuilder();
        foreach (char c in hash.ToString(CultureInfo.InvariantCulture))
        {
            text.Append(Alphabet[c % Alphabet.Length]);
        }

        return text.ToString();
    }

    /// <summary><paramref name="rendered"/> with <paramref name="hash"/> on the RayClusters and the head pods.</summary>
    public static RayClusterTemplate WithHash(JsonObject rendered, string hash)
    {
        var copy = (JsonObject)rendered.DeepClone();
        Labels(copy)[FleetLabels.TemplateHash] = hash;
        HeadLabels(copy)[FleetLabels.TemplateHash] = hash;
        return KubernetesJson.Deserialize<RayClusterTemplate>(copy.ToJsonString());
    }

    /// <summary><paramref name="template"/> without the hash labels: what to compare with a fleet's rendered template, or to roll back to.</summary>
    public static JsonObject WithoutHash(RayClusterTemplate template)
    {
        var node = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(template))!;
        (node["metadata"]?["labels"] as JsonObject)?.Remove(FleetLabels.TemplateHash);
        (node["spec"]?["headGroupSpec"]?["template"]?["metadata"]?["labels"] as JsonObject)?.Remove(FleetLabels.TemplateHash);
        return node;
    }

    /// <summary>Whether a replica set's template is the fleet's rendered one (hash labels aside).</summary>
    public static bool SameTemplate(RayClusterTemplate setTemplate, JsonObject rendered) => Canonical(WithoutHash(setTemplate)) == Canonical(rendered);

    /// <summary>JSON text with object keys sorted and empty objects dropped, so equal templates compare and hash equal.</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj.Where(p => p.Value is not null && p.Value is not JsonObject { Count: 0 }).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(System.Text.Json.JsonSerializer.Serialize(key)).Append(':');
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                foreach (var item in array)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }

    private static JsonObject Labels(JsonObject template)
    {
        var meta = (JsonObject)(template["metadata"] ??= new JsonObject());
        return (JsonObject)(meta["labels"] ??= new JsonObject());
    }

    private static JsonObject HeadLabels(JsonObject template)
    {
        var spec = (JsonObject)(template["spec"] ??= new JsonObject());
        var head = (JsonObject)(spec["headGroupSpec"] ??= new JsonObject());
        var podTemplate = (JsonObject)(head["template"] ??= new JsonObject());
        var meta = (JsonObject)(podTemplate["metadata"] ??= new JsonObject());
        return (JsonObject)(meta["labels"] ??= new JsonObject());
    }

    private static string? Find(IDictionary<string, string>? labels, string key) => labels is not null && labels.TryGetValue(key, out var v) ? v : null;
}
