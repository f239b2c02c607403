using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling.Tests.Schedules;

public sealed class ReplicaScheduleTests
{
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    private static ReplicaSchedule BusinessHours(TimeZoneInfo? zone = null) => new(
        "business-hours", zone ?? LosAngeles, WeekDays.Mon | WeekDays.Tue | WeekDays.Wed | WeekDays.Thu | WeekDays.Fri,
        new TimeOnly(9, 0), new TimeOnly(17, 0), MinReplicas: 4, MaxReplicas: null);

    [Theory]
    [InlineData("2026-03-02T17:30:00Z", true)] // Monday 09:30 PST (UTC−8)
    [InlineData("2026-03-02T16:30:00Z", false)] // Monday 08:30 PST
    [InlineData("2026-03-09T16:30:00Z", true)] // Monday 09:30 PDT (UTC−7): daylight saving began on 8 March
    [InlineData("2026-03-09T17:00:00Z", true)] // 10:00 PDT
    [InlineData("2026-03-02T17:00:00Z", true)] // 09:00 PST: the start is inclusive
    [InlineData("2026-03-03T01:00:00Z", false)] // Monday 17:00 PST: the end is exclusive
    [InlineData("2026-03-07T18:00:00Z", false)] // Saturday 10:00 PST
    [InlineData("2026-03-03T06:30:00Z", false)] // Monday 22:30 PST, though Tuesday in UTC
    public void IsActive_LocalClockTimeInItsZone(string utc, bool expected) =>
        Assert.Equal(expected, BusinessHours().IsActive(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void At_ActiveSchedule_OverridesOnlyTheBoundsItSets()
    {
        var bounds = ReplicaBounds.At([BusinessHours()], 1, 10, DateTimeOffset.Parse("2026-03-02T17:30:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new ReplicaBounds(4, 10, "business-hours"), bounds);
    }

    [Fact]
    public void At_NoActiveSchedule_BaseBounds()
    {
        var bounds = ReplicaBounds.At([BusinessHours()], 1, 10, DateTimeOffset.Parse("2026-03-07T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new ReplicaBounds(1, 10), bounds);
    }

    [Fact]
    public void At_TwoActiveAcrossZones_FirstListedWinsAndTheOtherIsReported()
    {
        var night = new ReplicaSchedule("tokyo", TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), WeekDays.All, new TimeOnly(0, 0), new TimeOnly(12, 0), 2, 3);

        var bounds = ReplicaBounds.At([BusinessHours(), night], 1, 10, DateTimeOffset.Parse("2026-03-02T17:30:00Z", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new ReplicaBounds(4, 10, "business-hours", "tokyo"), bounds); // 02:30 in Tokyo on Tuesday
    }

    [Fact]
    public void Validate_OverlapInOneZone_Rejected()
    {
        var lunch = new ReplicaSchedule("lunch", LosAngeles, WeekDays.Fri, new TimeOnly(12, 0), new TimeOnly(13, 0), 6, null);
        var settings = Scenario.Settings(ScalingStrategy.Kpa) with { Schedules = [BusinessHours(), lunch] };

        Assert.Contains("schedules: 'lunch' overlaps 'business-hours'", settings.Validate());
    }

    [Fact]
    public void Validate_BadSchedules_EveryProblemListed()
    {
        var backwards = new ReplicaSchedule("night", TimeZoneInfo.Utc, WeekDays.All, new TimeOnly(22, 0), new TimeOnly(6, 0), 1, null);
        var empty = new ReplicaSchedule("empty", TimeZoneInfo.Utc, WeekDays.Sat, new TimeOnly(1, 0), new TimeOnly(2, 0), null, null);
        var tooHigh = new ReplicaSchedule("peak", TimeZoneInfo.Utc, WeekDays.Sun, new TimeOnly(1, 0), new TimeOnly(2, 0), 200, null);
        var errors = (Scenario.Settings(ScalingStrategy.Kpa) with { Schedules = [backwards, empty, tooHigh] }).Validate();

        Assert.Contains(errors, e => e.Contains("'night': endTime 06:00 is not after startTime 22:00", StringComparison.Ordinal));
        Assert.Contains("schedules: 'empty': set minReplicas, maxReplicas or both", errors);
        Assert.Contains("schedules: 'peak': effective minReplicas 200 is above effective maxReplicas 100", errors);
    }
}
