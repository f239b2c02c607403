using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.ModelAdapters.Steps;

public sealed class ReplicaPlanTests
{
    private const string Self = "default/lora";

    [Theory]
    [InlineData("a,b,c", 1, "c,b")]
    [InlineData("a,b,c", 2, "c")]
    [InlineData("a,b", 2, "")]
    [InlineData("a", 3, "")]
    [InlineData("", 1, "")]
    public void Extras_BeyondReplicas_UnloadedFromTheEndOfTheList(string instances, int replicas, string expected)
    {
        Assert.Equal(expected, string.Join(",", ReplicaPlan.Extras(List(instances), replicas)));
    }

    [Theory]
    // instances, replicas, candidates, adapters other ones hold per pod, policy, max per pod -> picks, Scheduled condition
    [InlineData("a", 1, "a,b", "", null, 10, "", null)]
    [InlineData("a,b", 1, "a,b", "", null, 10, "", null)]
    [InlineData("", 1, "a,b", "a:1", null, 10, "b", "True Scheduled placed on b")]
    [InlineData("", 2, "a,b,c", "b:2,c:1", null, 10, "a,c", "True Scheduled placed on a,c")]
    [InlineData("a", 3, "a,b,c", "", null, 10, "b,c", "True Scheduled placed on b,c")]
    [InlineData("", 1, "a,b", "a:3,b:1", "binPack", 10, "a", "True Scheduled placed on a")]
    [InlineData("", 1, "a,b", "a:3,b:1", "binPack", 3, "b", "True Scheduled placed on b")]
    [InlineData("", 1, "a", "a:1", null, 1, "", "False NoCandidates no ready pod matches the selector")]
    [InlineData("", 1, "", "", null, 10, "", "False NoCandidates no ready pod matches the selector")]
    [InlineData("a", 2, "a", "", null, 10, "", null)] // one loaded, nowhere else to go: Scheduled stays as it was
    public void Schedule_MissingReplicas_PickedByPolicyWithTheSchedulingCondition(
        string instances, int replicas, string candidates, string heldByOthers, string? policy, int maxPerPod, string picks, string? condition)
    {
        var placement = ReplicaPlan.Schedule(Self, List(instances), replicas, List(candidates), Others(heldByOthers), policy, maxPerPod, new Random(1));

        Assert.Equal(picks, string.Join(",", placement.Picks));
        Assert.Equal(condition, placement.Condition is { } c ? $"{c.Status} {c.Reason} {c.Message}" : null);
        Assert.All(placement.Condition is { } s ? [s] : Array.Empty<AdapterCondition>(), s => Assert.Equal("Scheduled", s.Type));
    }

    [Fact]
    public void Schedule_ItsOwnStaleInstances_NotCountedAsLoadOnThePod()
    {
        // The adapter's cached status still lists pod a (verify just found it gone); that must not push it off pod a.
        var self = Adapter("lora", "a");
        var other = Adapter("other", "b");

        var placement = ReplicaPlan.Schedule(Self, [], 1, ["a", "b"], [self, other], null, 10, new Random(1));

        Assert.Equal(["a"], placement.Picks);
    }

    private static List<string> List(string csv) => csv.Length == 0 ? [] : [.. csv.Split(',')];

    private static List<ModelAdapter> Others(string heldByOthers)
    {
        // "a:2,b:1": pod a holds two other adapters, pod b one; each becomes its own adapter.
        var adapters = new List<ModelAdapter>();
        foreach (var (pod, count) in List(heldByOthers).Select(p => p.Split(':')).Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))))
        {
            for (int i = 0; i < count; i++)
            {
                adapters.Add(Adapter($"other-{pod}-{i}", pod));
            }
        }

        return adapters;
    }

    private static ModelAdapter Adapter(string name, params string[] instances) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Status = new ModelAdapterStatus { Instances = [.. instances] },
    };
}
