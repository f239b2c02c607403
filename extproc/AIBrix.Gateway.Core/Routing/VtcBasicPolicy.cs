using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>vtc-basic</c>: virtual token counter fairness per user (after Sheng et al., "Fairness in Serving
/// Large Language Models", simplified as AIBrix's vtc-basic). Each user's weighted tokens are counted
/// over a window: input × <see cref="InputWeight"/> + output cap × <see cref="OutputWeight"/>, added when
/// the request is routed. A request then goes to argmax of
/// <c>FairnessWeight × (1 − |i − t| / (n − 1)) + UtilizationWeight × (1 − min(1, inFlight_i / MaxPodLoad))</c>,
/// where i is the candidate's position and t = (user tokens / largest user tokens) × (n − 1): users who
/// got more service drift to one end of the fleet, light users to the other, load breaking it up.
/// Defaults are AIBrix's: weights 1 and 2, 0.5 and 0.5, max pod load 100, window 60 minutes.
/// With no user the request goes to least-request. At most <see cref="MaxUsers"/> users are tracked;
/// past that the window restarts early.
/// </summary>
internal sealed class VtcBasicPolicy(IRandomSource random, RoutingOptions options, TimeProvider time) : IRoutingPolicy, IRoutingFeedback
{
    public const double InputWeight = 1, OutputWeight = 2, FairnessWeight = 0.5, UtilizationWeight = 0.5, MaxPodLoad = 100;
    public const int MaxUsers = 100_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(60);

    private readonly ConcurrentDictionary<string, double> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _resetLock = new();
    private long _windowStartTicks = time.GetUtcNow().UtcTicks;
    private double _maxTokens;
    private int _picks;

    public string Name => RoutingPolicies.VtcBasic;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        int start = random.Next(candidates.Length);
        if (candidates.Length == 1 || string.IsNullOrEmpty(request.User))
        {
            return LeastRequestPolicy.PickLeast(candidates, start);
        }

        RollWindow();
        double max = Volatile.Read(ref _maxTokens);
        double share = max > 0 ? _tokens.GetValueOrDefault(request.User) / max : 0;
        double target = share * (candidates.Length - 1);
        int best = start;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            double fairness = 1 - (Math.Abs(i - target) / (candidates.Length - 1));
            double utilization = 1 - Math.Min(1, candidates[i].InFlight / MaxPodLoad);
            double score = (FairnessWeight * fairness) + (UtilizationWeight * utilization);
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return candidates[best];
    }

    public void OnRouted(RoutingRequest request, Endpoint target)
    {
        if (string.IsNullOrEmpty(request.User))
        {
            return;
        }

        double cost = (request.EstimatedPromptTokens * InputWeight) + ((request.MaxTokens ?? options.DefaultOutputTokens) * OutputWeight);
        double total = _tokens.AddOrUpdate(request.User, cost, (_, v) => v + cost);
        double max;
        while (total > (max = Volatile.Read(ref _maxTokens)) && Interlocked.CompareExchange(ref _maxTokens, total, max) != max)
        {
        }
    }

    /// <summary>The user's weighted tokens in the current window (tests, debug page).</summary>
    internal double TokensOf(string user) => _tokens.GetValueOrDefault(user);

    private void RollWindow()
    {
        long now = time.GetUtcNow().UtcTicks;
        // ConcurrentDictionary.Count takes every lock: look at it once in 1,024 decisions only.
        bool checkSize = (Interlocked.Increment(ref _picks) & 1023) == 0;
        if (now - Volatile.Read(ref _windowStartTicks) < Window.Ticks && !(checkSize && _tokens.Count >= MaxUsers))
        {
            return;
        }

        lock (_resetLock)
        {
            if (now - _windowStartTicks >= Window.Ticks || _tokens.Count >= MaxUsers)
            {
                _tokens.Clear();
                Volatile.Write(ref _maxTokens, 0);
                Volatile.Write(ref _windowStartTicks, now);
            }
        }
    }
}
