using k8s.Models;

namespace AIBrix.Controllers.ColdStart;

/// <summary>
/// The names the cold-start placement hint is made of. The controller labels each Node that holds a model's
/// artifacts with <c>artifacts.aibrix.ai/&lt;model&gt;: memory|disk</c>; a model's pod template carries two constant
/// preferred node-affinity terms on that key (<see cref="PreferredTerms"/>), so the scheduler prefers nodes holding
/// the model in memory, then on disk, while the labels move and no workload is ever rolled.
/// </summary>
public static class ColdStartLabels
{
    /// <summary>The label prefix on Nodes; the name part is the model (its <c>model.aibrix.ai/name</c>).</summary>
    public const string Prefix = "artifacts.aibrix.ai/";

    /// <summary>A pod annotation naming its model's artifact under the runtime's models folder (<c>meta-llama/Llama-3.1-8B</c>), when it is not the model's name.</summary>
    public const string ArtifactAnnotation = "model.aibrix.ai/artifact";

    /// <summary>Weight of the term preferring nodes with the model in memory.</summary>
    public const int MemoryWeight = 100;

    /// <summary>Weight of the term preferring nodes with the model on disk.</summary>
    public const int DiskWeight = 50;

    /// <summary>The Node label key for <paramref name="model"/>.</summary>
    public static string KeyOf(string model) => Prefix + model;

    /// <summary>The two preferred scheduling terms a pod template of <paramref name="model"/> carries (documented, added by the user or chart once).</summary>
    public static IReadOnlyList<V1PreferredSchedulingTerm> PreferredTerms(string model) =>
    [
        Term(model, "memory", MemoryWeight),
        Term(model, "disk", DiskWeight),
    ];

    private static V1PreferredSchedulingTerm Term(string model, string tier, int weight) => new()
    {
        Weight = weight,
        Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = KeyOf(model), OperatorProperty = "In", Values = [tier] }] },
    };
}
