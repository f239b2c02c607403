using AIBrix.Controllers.Fleets.Rollout;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>A Deployment's rolling-update arithmetic, by tables.</summary>
public sealed class RolloutMathTests
{
    [Theory]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 10, 3, 2)] // surge rounds up, unavailable down
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0", "0", 5, 0, 1)] // never both 0
    [InlineData("0%", "0%", 5, 0, 1)]
    [InlineData("2", "0", 5, 2, 0)]
    [InlineData(null, null, 8, 2, 2)] // defaults 25%
    [InlineData("100%", "50%", 3, 3, 1)]
    public void TryResolveBounds_RoundsSurgeUpAndUnavailableDown(string? surge, string? unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        Assert.True(RolloutMath.TryResolveBounds(surge is null ? null : (IntOrString)surge, unavailable is null ? null : (IntOrString)unavailable, replicas,
            out int s, out int u, out _));

        Assert.Equal((expectedSurge, expectedUnavailable), (s, u));
    }

    [Theory]
    [InlineData("x%")]
    [InlineData("-1")]
    [InlineData("one")]
    public void TryResolveBounds_Malformed_FailsWithAReason(string bad)
    {
        Assert.False(RolloutMath.TryResolveBounds((IntOrString)bad, null, 4, out _, out _, out string? error));
        Assert.Contains(bad, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 1, 0, 4, 1)] // start: one surge cluster
    [InlineData(4, 1, 1, 5, 1)] // at the cap: wait
    [InlineData(4, 1, 1, 4, 2)] // an old one went: grow
    [InlineData(4, 2, 0, 4, 2)]
    [InlineData(4, 0, 0, 3, 1)] // no surge: only into room unavailability made
    [InlineData(4, 1, 5, 5, 4)] // above replicas: down to replicas
    [InlineData(4, 10, 0, 4, 4)] // never beyond replicas
    public void NewSetTarget_KeepsTotalWithinReplicasPlusSurge(int replicas, int surge, int newSpec, int total, int expected) =>
        Assert.Equal(expected, RolloutMath.NewSetTarget(replicas, surge, newSpec, total));

    [Fact]
    public void ScaleDownOld_Unavailable0_WaitsForTheNewClusterToBeAvailable()
    {
        var old = new[] { new SetCounts("v1", 4, 4, 4) };

        Assert.Equal([4], RolloutMath.ScaleDownOld(4, 0, new SetCounts("v2", 1, 1, 0), old));
        Assert.Equal([3], RolloutMath.ScaleDownOld(4, 0, new SetCounts("v2", 1, 1, 1), old));
    }

    [Fact]
    public void ScaleDownOld_Unavailable1_TakesOneAtOnce()
    {
        var old = new[] { new SetCounts("v1", 4, 4, 4) };

        Assert.Equal([3], RolloutMath.ScaleDownOld(4, 1, new SetCounts("v2", 1, 1, 0), old));
    }

    [Fact]
    public void ScaleDownOld_UnavailableOldClusters_GoFirstAndFree()
    {
        var old = new[] { new SetCounts("v1", 4, 4, 2) };

        Assert.Equal([2], RolloutMath.ScaleDownOld(4, 1, new SetCounts("v2", 1, 1, 1), old)); // the two unavailable ones, no available one
        Assert.Equal([4], RolloutMath.ScaleDownOld(4, 0, new SetCounts("v2", 1, 1, 0), old)); // no budget while the new one starts
    }

    [Fact]
    public void ScaleDownOld_OldestSetFirst()
    {
        var old = new[] { new SetCounts("v1", 2, 2, 2), new SetCounts("v2", 2, 2, 2) };

        Assert.Equal([0, 1], RolloutMath.ScaleDownOld(4, 0, new SetCounts("v3", 3, 3, 3), old));
    }

    [Fact]
    public void ScaleDownOld_NothingLeft_NoChange() =>
        Assert.Equal([0], RolloutMath.ScaleDownOld(4, 1, new SetCounts("v2", 4, 4, 4), [new SetCounts("v1", 0, 0, 0)]));
}
