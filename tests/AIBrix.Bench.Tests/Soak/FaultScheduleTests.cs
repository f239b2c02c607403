using AIBrix.Bench.Soak;

namespace AIBrix.Bench.Tests.Soak;

/// <summary>The soak's fault schedule: a pure function of the seed and the duration.</summary>
public sealed class FaultScheduleTests
{
    [Fact]
    public void Create_SameSeedAndDuration_SameSchedule()
    {
        Assert.Equal(FaultSchedule.Create(7, 1800, 4, 2), FaultSchedule.Create(7, 1800, 4, 2));
    }

    [Fact]
    public void Create_OtherSeed_OtherSchedule()
    {
        Assert.NotEqual(FaultSchedule.Create(7, 1800, 4, 2), FaultSchedule.Create(8, 1800, 4, 2));
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(60, 1)]
    [InlineData(1800, 5)]
    public void Create_EveryCycle_HasEveryKindOnceWithoutOverlapInsideTheQuietEdges(double seconds, int cycles)
    {
        var faults = FaultSchedule.Create(3, seconds, 4, 2);

        // The cluster's primary kill is not scheduled: it takes the Redis restart's place in a cluster run.
        var scheduled = Enum.GetValues<FaultKind>().Where(k => k != FaultKind.RedisPrimaryKill).ToArray();
        Assert.Equal(cycles * scheduled.Length, faults.Count);
        Assert.All(scheduled, kind => Assert.Equal(cycles, faults.Count(f => f.Kind == kind)));
        Assert.DoesNotContain(faults, f => f.Kind == FaultKind.RedisPrimaryKill);
        double margin = Math.Max(5, seconds / 10);
        Assert.All(faults, f => Assert.InRange(f.StartSeconds, margin, seconds - margin));
        Assert.All(faults, f => Assert.InRange(f.EndSeconds, margin, seconds - margin));
        for (int i = 1; i < faults.Count; i++)
        {
            Assert.True(faults[i].StartSeconds >= faults[i - 1].EndSeconds, $"fault {i} starts before fault {i - 1} ends");
        }

        Assert.All(faults.Where(f => f.Kind is FaultKind.EngineKill or FaultKind.EngineHang or FaultKind.MetricsDown), f => Assert.InRange(f.Target, 0, 3));
        Assert.All(faults.Where(f => f.Kind == FaultKind.GatewayRestart), f => Assert.InRange(f.Target, 0, 1));
    }

    [Fact]
    public void Create_TooShortForFaults_IsEmpty()
    {
        Assert.Empty(FaultSchedule.Create(1, 15, 4, 2));
    }
}
