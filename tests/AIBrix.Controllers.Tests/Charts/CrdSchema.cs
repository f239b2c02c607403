using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>
/// The part of the API server's OpenAPI validation a CRD's manifests meet first: types, required fields, enums,
/// patterns, bounds and unknown fields (which a structural schema would prune in silence). CEL rules are not run.
/// </summary>
internal static class CrdSchema
{
    public static List<string> Validate(YamlNode value, YamlMappingNode schema, string path = "")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(YamlNode value, YamlMappingNode schema, string path, List<string> errors)
    {
        if (Text(schema, "x-kubernetes-int-or-string") == "true")
        {
            if (value is not YamlScalarNode)
            {
                errors.Add($"{path}: not an integer or string");
            }

            return;
        }

        switch (Text(schema, "type"))
        {
            case "object" when value is YamlMappingNode map:
                CheckObject(map, schema, path, errors);
                break;
            case "array" when value is YamlSequenceNode list:
                Bound(list.Children.Count, schema, "minItems", "maxItems", path, errors);
                if (schema.Children.TryGetValue(new YamlScalarNode("items"), out var items))
                {
                    for (int i = 0; i < list.Children.Count; i++)
                    {
                        Check(list.Children[i], (YamlMappingNode)items, $"{path}[{i}]", errors);
                    }
                }

                break;
            case "string" when value is YamlScalarNode text && (text.Style != YamlDotNet.Core.ScalarStyle.Plain || !IsNumberOrBool(text.Value)):
                CheckString(text.Value ?? "", schema, path, errors); // an unquoted 8000 or true is not a string to the API server
                break;
            case "integer" when value is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && long.TryParse(s.Value, CultureInfo.InvariantCulture, out long n):
                Bound(n, schema, "minimum", "maximum", path, errors);
                break;
            case "boolean" when value is YamlScalarNode { Value: "true" or "false" }:
                break;
            default:
                errors.Add($"{path}: not a {Text(schema, "type")}");
                break;
        }
    }

    private static void CheckObject(YamlMappingNode map, YamlMappingNode schema, string path, List<string> errors)
    {
        if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required))
        {
            foreach (var field in ((YamlSequenceNode)required).Select(r => ((YamlScalarNode)r).Value!))
            {
                if (!map.Children.ContainsKey(new YamlScalarNode(field)))
                {
                    errors.Add($"{path}.{field}: required");
                }
            }
        }

        if (!schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            return; // metadata, free-form maps
        }

        foreach (var (key, child) in map.Children)
        {
            string name = ((YamlScalarNode)key).Value!;
            if (((YamlMappingNode)properties).Children.TryGetValue(new YamlScalarNode(name), out var childSchema))
            {
                Check(child, (YamlMappingNode)childSchema, $"{path}.{name}", errors);
            }
            else
            {
                errors.Add($"{path}.{name}: unknown field");
            }
        }
    }

    private static void CheckString(string value, YamlMappingNode schema, string path, List<string> errors)
    {
        if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var options) &&
            !((YamlSequenceNode)options).Any(o => ((YamlScalarNode)o).Value == value))
        {
            errors.Add($"{path}: '{value}' is not one of the enum");
        }

        if (Text(schema, "pattern") is { } pattern && !Regex.IsMatch(value, pattern))
        {
            errors.Add($"{path}: '{value}' does not match {pattern}");
        }

        Bound(value.Length, schema, "minLength", "maxLength", path, errors);
    }

    private static void Bound(long value, YamlMappingNode schema, string min, string max, string path, List<string> errors)
    {
        if (Text(schema, min) is { } low && value < long.Parse(low, CultureInfo.InvariantCulture))
        {
            errors.Add($"{path}: {value} is below {min} {low}");
        }

        if (Text(schema, max) is { } high && value > long.Parse(high, CultureInfo.InvariantCulture))
        {
            errors.Add($"{path}: {value} is above {max} {high}");
        }
    }

    private static bool IsNumberOrBool(string? text) =>
        text is "true" or "false" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
}
