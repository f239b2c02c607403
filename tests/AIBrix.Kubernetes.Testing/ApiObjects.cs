using System.Text.Json.Nodes;
using AIBrix.Labels;

namespace AIBrix.Kubernetes.Testing;

/// <summary>What the server reads from objects kept as JSON, and the Status objects it answers errors with.</summary>
internal static class ApiObjects
{
    /// <summary>The object's <c>metadata</c>, created when missing.</summary>
    public static JsonObject Meta(JsonObject obj) => (JsonObject)(obj["metadata"] ??= new JsonObject());

    /// <summary>Whether the object's <c>metadata.labels</c> satisfy <paramref name="selector"/>.</summary>
    public static bool Selects(LabelSelector selector, JsonObject obj)
    {
        if (selector.IsEverything)
        {
            return true;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                if (value?.GetValue<string>() is { } text)
                {
                    labels[key] = text;
                }
            }
        }

        return selector.Matches(labels);
    }

    /// <summary>A <c>Status</c> object with <c>status: Failure</c>, as the API server answers every error.</summary>
    public static JsonObject Error(int code, string reason, string message) => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
        ["message"] = message, ["reason"] = reason, ["code"] = code,
    };

    /// <summary>A watch event line: <c>{"type":…,"object":…}</c> and a newline.</summary>
    public static string EventLine(string type, JsonNode obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";
}
