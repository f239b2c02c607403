using System.Globalization;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>OpenAI's <c>x-ratelimit-*</c> headers and <c>retry-after</c> from an admission decision.</summary>
public static class RateLimitHeaders
{
    /// <summary>The six <c>x-ratelimit-*</c> headers (only the pairs whose limit is set).</summary>
    public static void Add(List<KeyValuePair<string, string>> headers, AdmissionDecision d)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (d.RequestLimit > 0)
        {
            headers.Add(new("x-ratelimit-limit-requests", Number(d.RequestLimit)));
            headers.Add(new("x-ratelimit-remaining-requests", Number(d.RequestsRemaining)));
            headers.Add(new("x-ratelimit-reset-requests", Duration(d.RequestsReset)));
        }

        if (d.TokenLimit > 0)
        {
            headers.Add(new("x-ratelimit-limit-tokens", Number(d.TokenLimit)));
            headers.Add(new("x-ratelimit-remaining-tokens", Number(d.TokensRemaining)));
            headers.Add(new("x-ratelimit-reset-tokens", Duration(d.TokensReset)));
        }
    }

    /// <summary>Whole seconds to wait, at least 1 (<c>retry-after</c> takes an integer).</summary>
    public static string RetryAfter(TimeSpan wait) =>
        Number(Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)));

    /// <summary>OpenAI's duration format: <c>250ms</c>, <c>1.5s</c>, <c>1m0s</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return Number((long)Math.Ceiling(value.TotalMilliseconds)) + "ms";
        }

        int minutes = (int)value.TotalMinutes;
        double seconds = Math.Round(value.TotalSeconds - minutes * 60, 3);
        string s = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? Number(minutes) + "m" + s : s;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
