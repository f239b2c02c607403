namespace AIBrix.Gateway.Core.Config;

/// <summary>
/// Validates <c>redis:</c>: a scalar in <see cref="RedisAddress"/>'s one-line form, or a mapping
/// (<c>mode</c>, <c>endpoints</c>, <c>serviceName</c>). The mapping arrives untyped (the YAML may hold either
/// form), so its keys are checked here by name.
/// </summary>
internal static class RedisSectionReader
{
    private static readonly string[] Keys = ["mode", "endpoints", "serviceName"];

    public static RedisAddress? Read(object? section, string source, List<string> errors)
    {
        string setting = $"{source}: redis";
        switch (section)
        {
            case null:
                return null;
            case string text:
                return string.IsNullOrWhiteSpace(text) ? null : RedisAddress.Parse(text.Trim(), setting, errors);
            case IDictionary<object, object> map:
                return FromMap(map, setting, errors);
            default:
                errors.Add($"{setting}: expected \"host:port\" or a mapping with mode, endpoints and serviceName");
                return null;
        }
    }

    private static RedisAddress? FromMap(IDictionary<object, object> map, string setting, List<string> errors)
    {
        int before = errors.Count;
        foreach (var key in map.Keys.Select(k => k?.ToString() ?? "").Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add($"{setting}: unknown key '{(key.Length <= 40 ? key : key[..40] + "...")}' (known: {string.Join(", ", Keys)})");
        }

        string? mode = Scalar("mode");
        string? service = Scalar("serviceName");
        var endpoints = new List<string>();
        switch (map.TryGetValue("endpoints", out var value) ? value : null)
        {
            case null:
                break;
            case string one:
                endpoints.Add(one);
                break;
            case IEnumerable<object> many:
                foreach (var item in many)
                {
                    if (item is string text)
                    {
                        endpoints.Add(text);
                    }
                    else
                    {
                        errors.Add($"{setting}.endpoints: each entry is \"host:port\"");
                    }
                }

                break;
            default:
                errors.Add($"{setting}.endpoints: expected a list of \"host:port\"");
                break;
        }

        if (errors.Count > before)
        {
            return null;
        }

        return RedisAddress.FromParts(mode, endpoints, service, setting, errors);

        string? Scalar(string key)
        {
            if (!map.TryGetValue(key, out var v) || v is null)
            {
                return null;
            }

            if (v is string s)
            {
                return s;
            }

            errors.Add($"{setting}.{key}: expected a single value");
            return null;
        }
    }
}
