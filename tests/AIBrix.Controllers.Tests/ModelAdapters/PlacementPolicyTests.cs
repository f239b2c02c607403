using AIBrix.Controllers.ModelAdapters;

namespace AIBrix.Controllers.Tests.ModelAdapters;

public sealed class PlacementPolicyTests
{
    private static readonly PodLoad[] Pods = [new("p-a", 3), new("p-b", 1), new("p-c", 1), new("p-d", 5)];

    [Theory]
    [InlineData(null, 1, 10, new[] { "p-b" })]
    [InlineData("leastAdapters", 2, 10, new[] { "p-b", "p-c" })]
    [InlineData("leastAdapters", 9, 10, new[] { "p-b", "p-c", "p-a", "p-d" })]
    [InlineData("binPack", 1, 10, new[] { "p-d" })]
    [InlineData("binPack", 2, 5, new[] { "p-a", "p-b" })]
    [InlineData("BINPACK", 1, 4, new[] { "p-a" })]
    [InlineData("leastAdapters", 1, 1, new string[0])]
    [InlineData("leastAdapters", 0, 10, new string[0])]
    public void PlacementPolicy_Pick_Table(string? policy, int count, int maxPerPod, string[] expected)
    {
        Assert.Equal(expected, PlacementPolicy.Pick(policy, Pods, count, maxPerPod, new Random(1)));
    }

    [Fact]
    public void PlacementPolicy_Random_PicksDistinctOpenPodsAndVariesWithTheSeed()
    {
        var picks = Enumerable.Range(0, 20).Select(seed => PlacementPolicy.Pick("random", Pods, 2, 4, new Random(seed))).ToList();

        Assert.All(picks, p => Assert.Equal(2, p.Distinct().Count()));
        Assert.All(picks, p => Assert.DoesNotContain("p-d", p));
        Assert.True(picks.Select(p => string.Join(",", p)).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("binPack", true)]
    [InlineData("random", true)]
    [InlineData("default", true)]
    [InlineData("roundRobin", false)]
    public void PlacementPolicy_IsKnown_Table(string? name, bool known) => Assert.Equal(known, PlacementPolicy.IsKnown(name));
}
