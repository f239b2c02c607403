namespace AIBrix.Autoscaling.Schedules;

/// <summary>A set of weekdays.</summary>
[Flags]
public enum WeekDays
{
    /// <summary>No day.</summary>
    None = 0,

    /// <summary>Sunday.</summary>
    Sun = 1 << DayOfWeek.Sunday,

    /// <summary>Monday.</summary>
    Mon = 1 << DayOfWeek.Monday,

    /// <summary>Tuesday.</summary>
    Tue = 1 << DayOfWeek.Tuesday,

    /// <summary>Wednesday.</summary>
    Wed = 1 << DayOfWeek.Wednesday,

    /// <summary>Thursday.</summary>
    Thu = 1 << DayOfWeek.Thursday,

    /// <summary>Friday.</summary>
    Fri = 1 << DayOfWeek.Friday,

    /// <summary>Saturday.</summary>
    Sat = 1 << DayOfWeek.Saturday,

    /// <summary>Every day (a schedule without <c>daysOfWeek</c>).</summary>
    All = Sun | Mon | Tue | Wed | Thu | Fri | Sat,
}

/// <summary>Reading and testing <see cref="WeekDays"/>.</summary>
public static class WeekDaysExtensions
{
    /// <summary>Whether <paramref name="day"/> is in the set.</summary>
    public static bool Contains(this WeekDays days, DayOfWeek day) => (days & (WeekDays)(1 << (int)day)) != 0;

    /// <summary>Reads AIBrix's three-letter English names (<c>Mon</c> ... <c>Sun</c>), case-insensitive.</summary>
    public static bool TryParse(string? name, out WeekDays day)
    {
        day = name?.Trim().ToLowerInvariant() switch
        {
            "mon" => WeekDays.Mon,
            "tue" => WeekDays.Tue,
            "wed" => WeekDays.Wed,
            "thu" => WeekDays.Thu,
            "fri" => WeekDays.Fri,
            "sat" => WeekDays.Sat,
            "sun" => WeekDays.Sun,
            _ => WeekDays.None,
        };
        return day != WeekDays.None;
    }
}
