using System.Text.Json.Nodes;

namespace AIBrix.Kubernetes.Testing;

/// <summary>RFC 7386 merge patch and the RFC 6902 operations the API server accepts (add, remove, replace, test).</summary>
public static class JsonPatch
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/>: objects merge, null deletes, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Merge(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>Applies the operations in order; false (with the reason) when one fails, and the document may be partly changed.</summary>
    public static bool Apply(JsonObject document, JsonArray operations, out string error)
    {
        error = "";
        foreach (var op in operations.OfType<JsonObject>())
        {
            string kind = op["op"]?.GetValue<string>() ?? "";
            string path = op["path"]?.GetValue<string>() ?? "";
            var parts = path.Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            if (parts.Length == 0)
            {
                error = $"path '{path}' is not allowed";
                return false;
            }

            JsonNode? parent = document;
            foreach (var part in parts[..^1])
            {
                parent = parent switch
                {
                    JsonObject o => o[part],
                    JsonArray a when int.TryParse(part, out int idx) && idx < a.Count => a[idx],
                    _ => null,
                };
            }

            string last = parts[^1];
            switch (kind, parent)
            {
                case ("add" or "replace", JsonObject o):
                    if (kind == "replace" && !o.ContainsKey(last))
                    {
                        error = $"replace: {path} does not exist";
                        return false;
                    }

                    o[last] = op["value"]?.DeepClone();
                    break;
                case ("add", JsonArray a):
                    var value = op["value"]?.DeepClone();
                    if (last == "-")
                    {
                        a.Add(value);
                    }
                    else
                    {
                        a.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value);
                    }

                    break;
                case ("replace", JsonArray a) when int.TryParse(last, out int i) && i < a.Count:
                    a[i] = op["value"]?.DeepClone();
                    break;
                case ("remove", JsonObject o) when o.ContainsKey(last):
                    o.Remove(last);
                    break;
                case ("remove", JsonArray a) when int.TryParse(last, out int i) && i < a.Count:
                    a.RemoveAt(i);
                    break;
                case ("test", JsonObject o):
                    if (!JsonNode.DeepEquals(o[last], op["value"]))
                    {
                        error = $"test failed at {path}";
                        return false;
                    }

                    break;
                default:
                    error = $"{kind} at {path} cannot be applied";
                    return false;
            }
        }

        return true;
    }
}
