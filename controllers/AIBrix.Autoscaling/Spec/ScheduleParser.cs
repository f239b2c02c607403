using System.Globalization;
using System.Text.RegularExpressions;
using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling.Spec;

/// <summary>Reads <c>schedules[]</c> entries (AIBrix's rules: DNS-label names, strict HH:MM, IANA zones, Mon-Sun).</summary>
internal static partial class ScheduleParser
{
    public static ReplicaSchedule? Parse(ScheduleSpec spec, int index, List<string> errors)
    {
        string at = $"spec.schedules[{index}]";
        int before = errors.Count;
        string name = spec.Name ?? "";
        if (!DnsLabel().IsMatch(name))
        {
            errors.Add($"{at}.name: '{name}' must be a DNS label (lower-case letters, digits and '-', at most 63)");
        }

        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(spec.Timezone) && !TimeZoneInfo.TryFindSystemTimeZoneById(spec.Timezone, out zone))
        {
            errors.Add($"{at}.timezone: '{spec.Timezone}' is not a known IANA timezone");
        }

        var days = WeekDays.All;
        if (spec.DaysOfWeek is { } names)
        {
            days = WeekDays.None;
            foreach (var day in names)
            {
                if (WeekDaysExtensions.TryParse(day, out var d))
                {
                    days |= d;
                }
                else
                {
                    errors.Add($"{at}.daysOfWeek: '{day}' is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun");
                }
            }

            if (names.Count == 0)
            {
                errors.Add($"{at}.daysOfWeek: empty; leave it out to mean every day");
            }
        }

        var start = Time(spec.StartTime, $"{at}.startTime", errors);
        var end = Time(spec.EndTime, $"{at}.endTime", errors);
        return errors.Count == before
            ? new ReplicaSchedule(name, zone!, days, start, end, spec.MinReplicas, spec.MaxReplicas)
            : null;
    }

    private static TimeOnly Time(string? text, string field, List<string> errors)
    {
        if (text is not null && HourMinute().IsMatch(text))
        {
            return TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
        }

        errors.Add($"{field}: '{text}' is not a time in HH:MM (00:00-23:59)");
        return default;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex HourMinute();
}
