namespace AIBrix.Autoscaling.Schedules;

/// <summary>The replica bounds in force at one moment, and the schedule that set them.</summary>
/// <param name="Min">Effective minimum.</param>
/// <param name="Max">Effective maximum.</param>
/// <param name="Schedule">The active schedule's name; null when the base bounds apply.</param>
/// <param name="Conflict">Another schedule active at the same time (possible only across timezones); the first listed wins.</param>
public readonly record struct ReplicaBounds(int Min, int Max, string? Schedule = null, string? Conflict = null)
{
    /// <summary>The bounds at <paramref name="now"/>: the first active schedule's overrides over the base bounds.</summary>
    public static ReplicaBounds At(IReadOnlyList<ReplicaSchedule> schedules, int baseMin, int baseMax, DateTimeOffset now)
    {
        ReplicaSchedule? active = null;
        string? conflict = null;
        for (int i = 0; i < schedules.Count; i++)
        {
            if (!schedules[i].IsActive(now))
            {
                continue;
            }

            if (active is null)
            {
                active = schedules[i];
            }
            else
            {
                conflict ??= schedules[i].Name;
            }
        }

        return active is null
            ? new ReplicaBounds(baseMin, baseMax)
            : new ReplicaBounds(active.MinReplicas ?? baseMin, active.MaxReplicas ?? baseMax, active.Name, conflict);
    }
}
