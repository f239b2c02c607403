using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>Reading parsed manifests: paths of keys (string) and list indexes (int).</summary>
internal static class YamlNav
{
    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var child)
                    ? child
                    : throw new KeyNotFoundException($"'{key}' not found at {node.Start}"),
                (YamlSequenceNode list, int i) => list.Children[i],
                _ => throw new KeyNotFoundException($"can't take {step} of a {node.NodeType} at {node.Start}"),
            };
        }

        return node;
    }

    public static YamlNode? Find(this YamlNode node, params object[] path)
    {
        try
        {
            return node.At(path);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public static bool Has(this YamlNode node, params object[] path) => node.Find(path) is not null;

    public static string Text(this YamlNode node, params object[] path) =>
        node.At(path) is YamlScalarNode scalar ? scalar.Value ?? "" : throw new InvalidCastException($"{string.Join(".", path)} is not a scalar");

    public static int Int(this YamlNode node, params object[] path) => int.Parse(node.Text(path), CultureInfo.InvariantCulture);

    public static YamlMappingNode Map(this YamlNode node, params object[] path) => (YamlMappingNode)node.At(path);

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params object[] path) =>
        node.Find(path) is YamlSequenceNode list ? list.Children.ToList() : [];

    public static IReadOnlyList<string> Strings(this YamlNode node, params object[] path) =>
        node.Items(path).Select(n => ((YamlScalarNode)n).Value ?? "").ToList();

    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode node, params object[] path) =>
        node.Find(path) is YamlMappingNode map
            ? map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
