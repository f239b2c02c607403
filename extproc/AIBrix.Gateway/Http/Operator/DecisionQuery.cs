using System.Globalization;
using AIBrix.Gateway.Core.Processing;

namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// The decision log's filters, from <c>/debug/decisions</c>' query: <c>model</c>, <c>user</c> and <c>strategy</c> (exact),
/// <c>status</c> (a code such as <c>429</c>, a class such as <c>5xx</c>, or <c>error</c> for 400 and above),
/// <c>requestId</c> (a part of the id, any case) and <c>limit</c> (newest first, 200 by default).
/// </summary>
internal sealed record DecisionQuery(string? Model, string? User, string? Strategy, string? Status, string? RequestId, int Limit)
{
    public const int DefaultLimit = 200;

    /// <summary>Reads the query; an error message names the first bad parameter.</summary>
    public static (DecisionQuery? Query, string? Error) Parse(IQueryCollection query, int maxLimit)
    {
        int limit = DefaultLimit;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return (null, $"'limit' must be a positive integer, not '{l}'");
        }

        string? status = Value(query, "status");
        if (status is not null && Matcher(status) is null)
        {
            return (null, $"'status' must be a code (429), a class (4xx) or 'error', not '{status}'");
        }

        return (new DecisionQuery(Value(query, "model"), Value(query, "user"), Value(query, "strategy"), status, Value(query, "requestId"), Math.Min(limit, maxLimit)), null);
    }

    /// <summary>The filter, or null when nothing is filtered.</summary>
    public Func<RoutingDecision, bool>? Filter()
    {
        if (Model is null && User is null && Strategy is null && Status is null && RequestId is null)
        {
            return null;
        }

        var status = Status is null ? null : Matcher(Status);
        return d => (Model is null || d.Model == Model)
            && (User is null || d.User == User)
            && (Strategy is null || d.Strategy == Strategy)
            && (status is null || status(d.Status))
            && (RequestId is null || d.RequestId.Contains(RequestId, StringComparison.OrdinalIgnoreCase));
    }

    private static Func<int, bool>? Matcher(string status)
    {
        if (status.Equals("error", StringComparison.OrdinalIgnoreCase))
        {
            return s => s >= 400;
        }

        if (status.Length == 3 && status[0] is >= '1' and <= '5' && status.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            int hundreds = status[0] - '0';
            return s => s / 100 == hundreds;
        }

        return int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code is >= 100 and <= 599
            ? s => s == code
            : null;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;
}
