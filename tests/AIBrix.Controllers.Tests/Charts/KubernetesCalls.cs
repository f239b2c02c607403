using System.Reflection;
using System.Text.RegularExpressions;
using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.Tests.Charts;

/// <summary>One permission a call needs: API group, resource (with subresource), verb; and where the call is.</summary>
internal sealed record ApiPermission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource}:{Verb}";
}

/// <summary>
/// Reads the Kubernetes API calls a body of C# source makes and names the RBAC permission each needs, so the chart's
/// roles can be held to exactly what the code calls. It understands KubernetesClient's typed calls
/// (<c>client.CoreV1.ReadNamespacedServiceAsync</c>, <c>client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync&lt;ModelAdapter&gt;</c>,
/// <c>...WithHttpMessagesAsync(..., watch: true)</c>) and the runtime's wrappers (<c>ResourceApis.Pods</c>,
/// <c>ResourceApis.Custom&lt;T, TList&gt;</c>, <c>new EventRecorder</c>, <c>new LeaderElector</c>). A call it can't
/// name is reported, never skipped, so a new kind of call fails the test until it is taught here.
/// </summary>
internal static partial class KubernetesCalls
{
    /// <summary>KubernetesClient's API group properties.</summary>
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["CoreV1"] = "",
        ["AppsV1"] = "apps",
        ["BatchV1"] = "batch",
        ["DiscoveryV1"] = "discovery.k8s.io",
        ["CoordinationV1"] = "coordination.k8s.io",
        ["AutoscalingV1"] = "autoscaling",
        ["AutoscalingV2"] = "autoscaling",
        ["EventsV1"] = "events.k8s.io",
        ["NetworkingV1"] = "networking.k8s.io",
        ["PolicyV1"] = "policy",
    };

    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["Read"] = "get",
        ["Get"] = "get",
        ["List"] = "list",
        ["Create"] = "create",
        ["Replace"] = "update",
        ["Patch"] = "patch",
        ["Delete"] = "delete",
        ["DeleteCollection"] = "deletecollection",
    };

    /// <summary>The permissions the .cs files under <paramref name="folders"/> need, and what could not be named.</summary>
    public static (HashSet<ApiPermission> Needed, List<string> Unresolved) Scan(IEnumerable<string> folders)
    {
        var needed = new HashSet<ApiPermission>();
        var unresolved = new List<string>();
        foreach (var file in folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.cs", SearchOption.AllDirectories))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string code = File.ReadAllText(file);
            foreach (Match m in ClientCall().Matches(code))
            {
                string where = $"{Path.GetFileName(file)}: {m.Value}";
                if (AnyKindScale(m) is { } scales)
                {
                    needed.UnionWith(scales);
                }
                else if (Resolve(m, code) is { } permission)
                {
                    needed.Add(permission);
                }
                else if (!m.Groups["type"].Success || !IsGenericParameter(m.Groups["type"].Value))
                {
                    unresolved.Add(where);
                }

                // Generic plumbing (<TList>) is named at its call sites: ResourceApis.Custom<ModelAdapter, ...>.
            }

            foreach (Match m in BuiltInApi().Matches(code))
            {
                var (group, plural) = m.Groups["kind"].Value switch
                {
                    "Pods" => ("", "pods"),
                    "Deployments" => ("apps", "deployments"),
                    _ => ("apps", "statefulsets"),
                };
                needed.Add(new ApiPermission(group, plural, "list"));
                needed.Add(new ApiPermission(group, plural, "watch"));
            }

            foreach (Match m in CustomApi().Matches(code))
            {
                if (Crd(m.Groups["type"].Value) is { } crd)
                {
                    needed.Add(new ApiPermission(crd.Group, crd.Plural, "list"));
                    needed.Add(new ApiPermission(crd.Group, crd.Plural, "watch"));
                }
                else
                {
                    unresolved.Add($"{Path.GetFileName(file)}: {m.Value}");
                }
            }

            if (code.Contains("new EventRecorder(", StringComparison.Ordinal))
            {
                needed.Add(new ApiPermission("", "events", "create"));
            }

            if (code.Contains("new LeaderElector(", StringComparison.Ordinal))
            {
                foreach (var verb in new[] { "get", "create", "update" })
                {
                    needed.Add(new ApiPermission("coordination.k8s.io", "leases", verb));
                }
            }
        }

        return (needed, unresolved);
    }

    /// <summary>
    /// A scale-subresource call typed <c>V1Scale</c> through the custom-objects client reaches any kind by group and
    /// plural (the PodAutoscaler's targets): it needs <c>{plural}/scale</c> on each kind the chart lets it scale.
    /// </summary>
    private static IEnumerable<ApiPermission>? AnyKindScale(Match m)
    {
        var shape = MethodShape().Match(m.Groups["method"].Value);
        if (m.Groups["api"].Value != "CustomObjects" || m.Groups["type"].Value != "V1Scale" || !shape.Success || shape.Groups["sub"].Value != "Scale"
            || !Verbs.TryGetValue(shape.Groups["verb"].Value, out var verb))
        {
            return null;
        }

        return AIBrix.Controllers.PodAutoscalers.ScaleTarget.GrantedKinds.Select(k =>
            new ApiPermission(k.ApiVersion[..k.ApiVersion.IndexOf('/', StringComparison.Ordinal)], Plural(k.Kind) + "/scale", verb));
    }

    private static ApiPermission? Resolve(Match m, string code)
    {
        string api = m.Groups["api"].Value, method = m.Groups["method"].Value;
        var shape = MethodShape().Match(method);
        if (!shape.Success || !Verbs.TryGetValue(shape.Groups["verb"].Value, out var verb))
        {
            return null;
        }

        string kind = shape.Groups["kind"].Value;
        string sub = shape.Groups["sub"].Success ? "/" + shape.Groups["sub"].Value.ToLowerInvariant() : "";
        if (verb == "list" && ArgumentsOf(code, m.Index + m.Length).Contains("watch: true", StringComparison.Ordinal))
        {
            verb = "watch";
        }

        if (api == "CustomObjects")
        {
            return m.Groups["type"].Success && Crd(m.Groups["type"].Value) is { } crd ? new ApiPermission(crd.Group, crd.Plural + sub, verb) : null;
        }

        return Groups.TryGetValue(api, out var group) ? new ApiPermission(group, Plural(kind) + sub, verb) : null;
    }

    /// <summary>The text of a call's argument list, from its opening parenthesis to the matching one.</summary>
    private static string ArgumentsOf(string code, int open)
    {
        int depth = 0;
        for (int i = open; i < code.Length; i++)
        {
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return code[open..(i + 1)];
            }
        }

        return code[open..];
    }

    /// <summary>A CRD type of ours by its C# name (or its list type's, <c>HttpRouteList</c>): its Group and Plural constants.</summary>
    private static (string Group, string Plural)? Crd(string typeName)
    {
        if (typeName.EndsWith("List", StringComparison.Ordinal) && Crd(typeName[..^4]) is { } item)
        {
            return item;
        }

        var type = typeof(ModelAdapter).Assembly.GetTypes().FirstOrDefault(t => t.Name == typeName);
        string? Const(string name) => type?.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        return Const("Group") is { } group && Const("Plural") is { } plural ? (group, plural) : null;
    }

    private static bool IsGenericParameter(string name) => name == "T" || (name.Length > 1 && name[0] == 'T' && char.IsUpper(name[1]));

    /// <summary>Kubernetes' plural of a kind: lowercase, +s (+es after s, y → ies).</summary>
    private static string Plural(string kind)
    {
        string lower = kind.ToLowerInvariant();
        return lower.EndsWith('s') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
    }

    [GeneratedRegex(@"\.(?<api>CustomObjects|[A-Z][A-Za-z]*V\d\w*)\.(?<method>[A-Z]\w*?Async)(?:<(?<type>\w+)>)?(?=\s*\()")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"^(?<verb>DeleteCollection|Read|Get|List|Create|Replace|Patch|Delete)(?:Namespaced|Cluster)?(?<kind>[A-Z][a-z]+(?:[A-Z][a-z]+)*?)(?<sub>Status|Scale)?(?:ForAllNamespaces)?(?:WithHttpMessages)?Async$")]
    private static partial Regex MethodShape();

    [GeneratedRegex(@"ResourceApis\.(?<kind>Pods|Deployments|StatefulSets)\(")]
    private static partial Regex BuiltInApi();

    [GeneratedRegex(@"ResourceApis\.Custom<(?<type>\w+)\s*,")]
    private static partial Regex CustomApi();
}
