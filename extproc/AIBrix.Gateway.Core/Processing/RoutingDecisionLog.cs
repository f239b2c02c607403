using System.Diagnostics;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>One routing decision, for the operator page: what was asked, where it went, and why.</summary>
/// <param name="At">When the request ended.</param>
/// <param name="RequestId">The request.</param>
/// <param name="Model">Model or adapter asked for.</param>
/// <param name="Strategy">Strategy applied ("" when the route decided).</param>
/// <param name="Endpoint">The chosen endpoint's name, or null.</param>
/// <param name="Reason">Why, as the policy said it (or the error that refused the request).</param>
/// <param name="Outcome">How the request ended, once it has.</param>
/// <param name="Status">HTTP status, once known.</param>
public sealed record RoutingDecision(
    DateTimeOffset At, string RequestId, string Model, string Strategy, string? Endpoint, string? Reason, RequestOutcome? Outcome, int Status)
{
    /// <summary>The user the request was accounted to, if any.</summary>
    public string? User { get; init; }

    /// <summary>Ready candidates the policy chose among (0 when no policy ran).</summary>
    public int Candidates { get; init; }

    /// <summary>The winner's requests in flight when it was picked.</summary>
    public int Load { get; init; }

    /// <summary>Prefix policies: leading prompt blocks the winner held.</summary>
    public int? MatchedBlocks { get; init; }

    /// <summary>Prefix policies: the prompt's blocks.</summary>
    public int? PromptBlocks { get; init; }

    /// <summary>Cost policies: the winner's predicted cost, seconds.</summary>
    public double? Cost { get; init; }

    /// <summary>Weighted mixes: each scorer's weighted share of the winning score.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ScoreParts { get; init; } = [];

    /// <summary>Why the strategy fell back to another rule (<c>metrics-stale</c>, <c>load-guard</c>...), if it did.</summary>
    public string? Fallback { get; init; }

    /// <summary>Endpoints tried (more than one after a retry).</summary>
    public int Attempts { get; init; }

    /// <summary>Time to first token, seconds, when a token was seen.</summary>
    public double? TimeToFirstToken { get; init; }

    /// <summary>Prompt tokens the response reported.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Completion tokens the response reported.</summary>
    public int? CompletionTokens { get; init; }
}

/// <summary>
/// The last <see cref="Capacity"/> finished requests and their routing, kept in a ring for the
/// operator page. Writers take a short lock only when a request ends; readers copy.
/// </summary>
public sealed class RoutingDecisionLog(TimeProvider time, int capacity = RoutingDecisionLog.DefaultCapacity) : IGatewayObserver
{
    /// <summary>Decisions kept by default.</summary>
    public const int DefaultCapacity = 2000;

    private readonly RoutingDecision?[] _ring = new RoutingDecision?[capacity];
    private readonly Lock _lock = new();
    private long _written;

    /// <summary>How many decisions are kept.</summary>
    public int Capacity => _ring.Length;

    /// <inheritdoc/>
    public void OnRouted(RequestContext context, double decisionSeconds)
    {
    }

    /// <inheritdoc/>
    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        ArgumentNullException.ThrowIfNull(context);
        int status = context.Error is { } error ? Errors.ErrorMapping.Shape(error.Kind).StatusCode : context.ResponseStatus;
        string? reason = context.Error?.Message ?? context.Routing.Reason;
        if (context.Attempts > 1)
        {
            reason = $"{reason} (attempt {context.Attempts})";
        }

        var routing = context.Routing;
        Add(new RoutingDecision(
            time.GetUtcNow(), context.RequestId, context.Model, context.Policy?.Name ?? "", context.Target?.Name, reason, outcome, status)
        {
            User = context.AuthenticatedUser ?? routing.User,
            Candidates = routing.CandidateCount,
            Load = routing.TargetLoad,
            MatchedBlocks = routing.MatchedBlocks,
            PromptBlocks = routing.PromptBlocks,
            Cost = routing.PredictedCost,
            ScoreParts = routing.ScoreParts.Count == 0 ? [] : [.. routing.ScoreParts],
            Fallback = routing.Fallback,
            Attempts = context.Attempts,
            TimeToFirstToken = context.FirstTokenTimestamp != 0 && context.RoutedTimestamp != 0
                ? Stopwatch.GetElapsedTime(context.RoutedTimestamp, context.FirstTokenTimestamp).TotalSeconds
                : null,
            PromptTokens = usage?.PromptTokens,
            CompletionTokens = usage?.CompletionTokens,
        });
    }

    /// <summary>Keeps <paramref name="decision"/>, forgetting the oldest when full.</summary>
    public void Add(RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_lock)
        {
            _ring[_written++ % _ring.Length] = decision;
        }
    }

    /// <summary>The kept decisions, newest first.</summary>
    public IReadOnlyList<RoutingDecision> Recent() => Recent(null, int.MaxValue, out _);

    /// <summary>
    /// The newest <paramref name="limit"/> kept decisions that <paramref name="filter"/> accepts (all when null), newest
    /// first; <paramref name="matched"/> counts every accepted one.
    /// </summary>
    public IReadOnlyList<RoutingDecision> Recent(Func<RoutingDecision, bool>? filter, int limit, out int matched)
    {
        RoutingDecision[] kept;
        lock (_lock)
        {
            int count = (int)Math.Min(_written, _ring.Length);
            kept = new RoutingDecision[count];
            for (int i = 0; i < count; i++)
            {
                kept[i] = _ring[(_written - 1 - i) % _ring.Length]!;
            }
        }

        if (filter is null)
        {
            matched = kept.Length;
            return limit >= kept.Length ? kept : kept[..limit];
        }

        var result = new List<RoutingDecision>(Math.Min(limit, 256));
        matched = 0;
        foreach (var decision in kept)
        {
            if (filter(decision))
            {
                if (matched++ < limit)
                {
                    result.Add(decision);
                }
            }
        }

        return result;
    }
}
