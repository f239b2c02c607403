using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>How one <c>helm template</c> / <c>helm install</c> is run: release, namespace and <c>-f</c> values.</summary>
internal sealed record ReleaseOptions
{
    public string Name { get; init; } = "aibrix";

    public string Namespace { get; init; } = "aibrix-system";

    public bool IsUpgrade { get; init; }

    /// <summary>Values files laid over values.yaml in order (maps merge, a null removes a default), as <c>-f a -f b</c> does.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>Seeds <c>randAlphaNum</c>.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>What <c>lookup</c> finds in the "cluster" (apiVersion, kind, namespace, name); null: nothing.</summary>
    public Func<string, string, string, string, Dictionary<string, object?>?>? Lookup { get; init; }
}

/// <summary>
/// A Helm chart directory rendered without helm: Chart.yaml, values.yaml, crds/ and templates/ (partials start with
/// <c>_</c>, NOTES.txt is rendered apart), through <see cref="TemplateParser"/> and <see cref="TemplateExecutor"/>.
/// </summary>
internal sealed partial class HelmChart
{
    private readonly string _dir;
    private readonly Dictionary<string, object?> _chart;
    private readonly Dictionary<string, object?> _values;
    private readonly SortedDictionary<string, string> _templates;

    private HelmChart(string dir)
    {
        _dir = dir;
        _chart = (Dictionary<string, object?>)HelmYaml.Load(File.ReadAllText(Path.Combine(dir, "Chart.yaml")))!;
        _values = HelmYaml.Load(File.ReadAllText(Path.Combine(dir, "values.yaml"))) as Dictionary<string, object?> ?? [];
        string templates = Path.Combine(dir, "templates");
        _templates = new SortedDictionary<string, string>(
            Directory.EnumerateFiles(templates, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText),
            StringComparer.Ordinal);
    }

    public string Name => (string)_chart["name"]!;

    public string AppVersion => (string)_chart["appVersion"]!;

    public static HelmChart Load(string dir) => new(dir);

    /// <summary>The CRDs in crds/, installed as they are (Helm never templates them).</summary>
    public List<YamlMappingNode> Crds() =>
        Directory.EnumerateFiles(Path.Combine(_dir, "crds"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => Documents(File.ReadAllText(f), f)).ToList();

    public RenderedChart Render(ReleaseOptions release)
    {
        var functions = new TemplateFunctions(release.Seed, release.Lookup);
        var defines = new Dictionary<string, NamedTemplate>(StringComparer.Ordinal);
        var parsed = _templates.ToDictionary(
            t => t.Key,
            t => TemplateParser.Parse(t.Value, $"{Name}/{t.Key}", functions.Exists, defines),
            StringComparer.Ordinal);
        var executor = new TemplateExecutor(defines, functions);
        var values = release.Values.Aggregate(_values, (merged, file) => Coalesce(merged, HelmYaml.Load(file) as Dictionary<string, object?> ?? []));

        // One values tree for the whole render, as in Helm: a template that mutates .Values is seen by the others.
        values = (Dictionary<string, object?>)GoValues.DeepCopy(values)!;
        var outputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string notes = "";
        foreach (var (file, nodes) in parsed)
        {
            if (Path.GetFileName(file).StartsWith('_'))
            {
                continue;
            }

            var data = Context(release, values, file);
            string text = executor.Render(nodes, $"{Name}/{file}", data).Replace("<no value>", "", StringComparison.Ordinal);
            if (file == "templates/NOTES.txt")
            {
                notes = text;
            }
            else
            {
                outputs[file] = text;
            }
        }

        var manifests = outputs.SelectMany(o => Split(o.Value).SelectMany(doc => Documents(doc, o.Key)).Select(d => new Manifest(o.Key, d))).ToList();
        return new RenderedChart(outputs, notes, manifests);
    }

    private Dictionary<string, object?> Context(ReleaseOptions release, object? values, string file) => new(StringComparer.Ordinal)
    {
        ["Values"] = values,
        ["Release"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = release.Name,
            ["Namespace"] = release.Namespace,
            ["IsUpgrade"] = release.IsUpgrade,
            ["IsInstall"] = !release.IsUpgrade,
            ["Revision"] = release.IsUpgrade ? 2L : 1L,
            ["Service"] = "Helm",
        },
        ["Chart"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = _chart.GetValueOrDefault("name"),
            ["Version"] = _chart.GetValueOrDefault("version"),
            ["AppVersion"] = _chart.GetValueOrDefault("appVersion"),
            ["Description"] = _chart.GetValueOrDefault("description"),
        },
        ["Template"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Name"] = $"{Name}/{file}",
            ["BasePath"] = $"{Name}/templates",
        },
    };

    /// <summary>Helm's values coalescing: maps merge key by key, a user's null deletes the default.</summary>
    private static Dictionary<string, object?> Coalesce(Dictionary<string, object?> defaults, Dictionary<string, object?> overrides)
    {
        var merged = (Dictionary<string, object?>)GoValues.DeepCopy(defaults)!;
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else if (value is Dictionary<string, object?> map && merged.GetValueOrDefault(key) is Dictionary<string, object?> inner)
            {
                merged[key] = Coalesce(inner, map);
            }
            else
            {
                merged[key] = GoValues.DeepCopy(value);
            }
        }

        return merged;
    }

    /// <summary>Helm's manifest split: on "---" lines.</summary>
    private static IEnumerable<string> Split(string text) => DocumentSeparator().Split(text).Where(d => !string.IsNullOrWhiteSpace(d));

    private static IEnumerable<YamlMappingNode> Documents(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new TemplateException($"YAML parse error on {file}: {e.Message} {e.InnerException?.Message}\n{yaml}");
        }

        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode map:
                    yield return map;
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break;
                default:
                    throw new TemplateException($"{file}: a manifest is not a mapping:\n{yaml}");
            }
        }
    }

    [GeneratedRegex(@"(?:^|\s*\n)---\s*")]
    private static partial Regex DocumentSeparator();
}

/// <summary>One rendered object and the template it came from.</summary>
internal sealed record Manifest(string File, YamlMappingNode Node)
{
    public string Kind => Node.Text("kind");

    public string Name => Node.At("metadata").Text("name");
}

/// <summary>What a render produced: each template's text, NOTES.txt, and every object parsed as YAML.</summary>
internal sealed record RenderedChart(IReadOnlyDictionary<string, string> Files, string Notes, IReadOnlyList<Manifest> Manifests)
{
    public IEnumerable<Manifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public Manifest Get(string kind, string name) =>
        Manifests.SingleOrDefault(m => m.Kind == kind && m.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name}; rendered: {string.Join(", ", Manifests.Select(m => $"{m.Kind}/{m.Name}"))}");

    public Manifest Single(string kind) =>
        Manifests.SingleOrDefault(m => m.Kind == kind)
        ?? throw new Xunit.Sdk.XunitException($"not exactly one {kind}; rendered: {string.Join(", ", Manifests.Select(m => $"{m.Kind}/{m.Name}"))}");
}
