namespace AIBrix.Autoscaling.Schedules;

/// <summary>
/// A recurring daily window that overrides the replica bounds: active on <see cref="Days"/> from
/// <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), local clock time in <see cref="Zone"/>, so
/// 09:00 stays 09:00 across daylight saving changes. Windows do not cross midnight (AIBrix's rule).
/// </summary>
/// <param name="Name">Unique within the autoscaler; shown in status and decisions.</param>
/// <param name="Zone">The IANA timezone the times are read in (UTC when the spec leaves it out).</param>
/// <param name="Days">The weekdays it applies on.</param>
/// <param name="Start">Inclusive local start.</param>
/// <param name="End">Exclusive local end, after <paramref name="Start"/>.</param>
/// <param name="MinReplicas">Overrides <c>minReplicas</c> while active, when set.</param>
/// <param name="MaxReplicas">Overrides <c>maxReplicas</c> while active, when set.</param>
public sealed record ReplicaSchedule(
    string Name,
    TimeZoneInfo Zone,
    WeekDays Days,
    TimeOnly Start,
    TimeOnly End,
    int? MinReplicas,
    int? MaxReplicas)
{
    /// <summary>Whether the schedule is in force at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
    }

    /// <summary>Whether both schedules can be active at once (same zone, a shared day, intersecting times).</summary>
    internal bool Overlaps(ReplicaSchedule other) =>
        Zone.Id == other.Zone.Id && (Days & other.Days) != WeekDays.None && Start < other.End && other.Start < End;
}
