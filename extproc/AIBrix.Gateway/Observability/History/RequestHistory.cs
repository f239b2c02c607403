using System.Diagnostics;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Processing;

namespace AIBrix.Gateway.Observability.History;

/// <summary>
/// The request side of the operator page's history, fed by the request path (<see cref="IGatewayObserver"/>):
/// per bucket, requests and errors by status, TTFT and inter-token latency bins, tokens in and out, limit
/// refusals by user and kind, routing fallbacks by strategy and reason, and each user's requests and tokens.
/// The ring is allocated once; a bucket is cleared when time comes back round to it.
/// </summary>
internal sealed class RequestHistory : IGatewayObserver
{
    private readonly HistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly Bucket[] _ring;
    private readonly Lock _lock = new();

    public RequestHistory(HistoryOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _ring = new Bucket[options.Buckets];
        for (int i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new Bucket(options);
        }
    }

    public HistoryOptions Options => _options;

    public void OnRouted(RequestContext context, double decisionSeconds)
    {
        if (context.Policy is { } policy && context.Routing.Fallback is { } reason)
        {
            RecordFallback(policy.Name, reason);
        }
    }

    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        int status = context.Error is { } error ? ErrorMapping.Shape(error.Kind).StatusCode
            : outcome == RequestOutcome.Aborted && context.ResponseStatus == 0 ? 499 : context.ResponseStatus;
        double? ttft = context.FirstTokenTimestamp != 0 && context.RoutedTimestamp != 0
            ? Stopwatch.GetElapsedTime(context.RoutedTimestamp, context.FirstTokenTimestamp).TotalSeconds
            : null;
        // Inter-token latency: the time from the first token to the end, over the tokens after the first.
        double? itl = context.FirstTokenTimestamp != 0 && usage is { CompletionTokens: > 1 } u
            ? Stopwatch.GetElapsedTime(context.FirstTokenTimestamp).TotalSeconds / (u.CompletionTokens - 1)
            : null;
        string user = context.AuthenticatedUser ?? context.Routing.User ?? "";
        string? refusal = context.Error is { } e ? RefusalKind(e.Kind) : null;
        Record(status, status >= 400 || outcome == RequestOutcome.Aborted, ttft, itl, usage?.PromptTokens ?? 0, usage?.CompletionTokens ?? 0, user, refusal);
    }

    /// <summary>Counts a routing fallback in the current bucket.</summary>
    public void RecordFallback(string strategy, string reason)
    {
        lock (_lock)
        {
            Current().Fallbacks.Add((strategy, reason));
        }
    }

    /// <summary>Counts one finished request in the current bucket.</summary>
    public void Record(int status, bool failed, double? ttft, double? itl, long promptTokens, long completionTokens, string user, string? refusal)
    {
        lock (_lock)
        {
            var bucket = Current();
            bucket.Requests++;
            if (failed)
            {
                bucket.Errors++;
            }

            bucket.Statuses.Add(status);
            if (ttft is { } t)
            {
                bucket.Ttft.Add(t);
            }

            if (itl is { } i)
            {
                bucket.Itl.Add(i);
            }

            bucket.TokensIn += promptTokens;
            bucket.TokensOut += completionTokens;
            if (refusal is not null)
            {
                bucket.Refusals.Add((user, refusal));
            }

            if (user.Length > 0)
            {
                bucket.UserRequests.Add(user);
                if (promptTokens + completionTokens > 0)
                {
                    bucket.UserTokens.Add(user, promptTokens + completionTokens);
                }
            }
        }
    }

    /// <summary>
    /// Reads the last <paramref name="buckets"/> buckets (oldest first) under the lock: <paramref name="read"/>
    /// gets each bucket's start and the bucket (empty ones included, as zeros), and must copy what it keeps.
    /// </summary>
    public void Read(int buckets, Action<DateTimeOffset, IBucketView> read)
    {
        buckets = Math.Clamp(buckets, 1, _ring.Length);
        long now = BucketNumber(_time.GetUtcNow());
        lock (_lock)
        {
            for (long n = now - buckets + 1; n <= now; n++)
            {
                var bucket = _ring[(int)(n % _ring.Length)];
                read(DateTimeOffset.FromUnixTimeSeconds(n * _options.BucketSeconds), bucket.Number == n ? bucket : EmptyView.Instance);
            }
        }
    }

    /// <summary>Keys held across the whole ring (for the memory bound's test).</summary>
    internal int KeysHeld()
    {
        lock (_lock)
        {
            return _ring.Sum(b => b.Statuses.Keys + b.Refusals.Keys + b.Fallbacks.Keys + b.UserRequests.Keys + b.UserTokens.Keys);
        }
    }

    internal int BucketCount => _ring.Length;

    private long BucketNumber(DateTimeOffset at) => at.ToUnixTimeSeconds() / _options.BucketSeconds;

    private Bucket Current()
    {
        long n = BucketNumber(_time.GetUtcNow());
        var bucket = _ring[(int)(n % _ring.Length)];
        if (bucket.Number != n)
        {
            bucket.Reset(n);
        }

        return bucket;
    }

    /// <summary>The refusals the page lists as "limited": limits and load shedding, with the client's user.</summary>
    internal static string? RefusalKind(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.RequestRateLimited => "requests",
        GatewayErrorKind.TokenRateLimited => "tokens",
        GatewayErrorKind.TokensExceedLimit => "tokens-over-limit",
        GatewayErrorKind.RequestShed => "shed",
        GatewayErrorKind.LimitsUnavailable => "store-unavailable",
        GatewayErrorKind.UnknownUser => "unknown-user",
        GatewayErrorKind.InvalidApiKey => "invalid-key",
        _ => null,
    };

    /// <summary>What a reader sees of one bucket.</summary>
    internal interface IBucketView
    {
        long Requests { get; }

        long Errors { get; }

        long TokensIn { get; }

        long TokensOut { get; }

        IEnumerable<KeyValuePair<int, long>> Statuses { get; }

        LatencyBins Ttft { get; }

        LatencyBins Itl { get; }

        IEnumerable<KeyValuePair<(string User, string Kind), long>> Refusals { get; }

        IEnumerable<KeyValuePair<(string Strategy, string Reason), long>> Fallbacks { get; }

        IEnumerable<KeyValuePair<string, long>> UserRequests { get; }

        IEnumerable<KeyValuePair<string, long>> UserTokens { get; }
    }

    private sealed class Bucket(HistoryOptions options) : IBucketView
    {
        public long Number { get; private set; } = -1;

        public long Requests { get; set; }

        public long Errors { get; set; }

        public long TokensIn { get; set; }

        public long TokensOut { get; set; }

        public CappedCounts<int> Statuses { get; } = new(options.MaxKeysPerBucket, 0);

        public LatencyBins Ttft { get; } = new();

        public LatencyBins Itl { get; } = new();

        public CappedCounts<(string, string)> Refusals { get; } = new(options.MaxKeysPerBucket, (HistoryOptions.Other, HistoryOptions.Other));

        public CappedCounts<(string, string)> Fallbacks { get; } = new(options.MaxKeysPerBucket, (HistoryOptions.Other, HistoryOptions.Other));

        public CappedCounts<string> UserRequests { get; } = new(options.MaxUsersPerBucket, HistoryOptions.Other);

        public CappedCounts<string> UserTokens { get; } = new(options.MaxUsersPerBucket, HistoryOptions.Other);

        IEnumerable<KeyValuePair<int, long>> IBucketView.Statuses => Statuses.Entries;

        IEnumerable<KeyValuePair<(string User, string Kind), long>> IBucketView.Refusals => Refusals.Entries.Select(e => new KeyValuePair<(string User, string Kind), long>(e.Key, e.Value));

        IEnumerable<KeyValuePair<(string Strategy, string Reason), long>> IBucketView.Fallbacks => Fallbacks.Entries.Select(e => new KeyValuePair<(string Strategy, string Reason), long>(e.Key, e.Value));

        IEnumerable<KeyValuePair<string, long>> IBucketView.UserRequests => UserRequests.Entries;

        IEnumerable<KeyValuePair<string, long>> IBucketView.UserTokens => UserTokens.Entries;

        public void Reset(long number)
        {
            Number = number;
            Requests = Errors = TokensIn = TokensOut = 0;
            Statuses.Clear();
            Ttft.Clear();
            Itl.Clear();
            Refusals.Clear();
            Fallbacks.Clear();
            UserRequests.Clear();
            UserTokens.Clear();
        }
    }

    private sealed class EmptyView : IBucketView
    {
        public static readonly EmptyView Instance = new();

        public long Requests => 0;

        public long Errors => 0;

        public long TokensIn => 0;

        public long TokensOut => 0;

        public IEnumerable<KeyValuePair<int, long>> Statuses => [];

        public LatencyBins Ttft { get; } = new();

        public LatencyBins Itl { get; } = new();

        public IEnumerable<KeyValuePair<(string User, string Kind), long>> Refusals => [];

        public IEnumerable<KeyValuePair<(string Strategy, string Reason), long>> Fallbacks => [];

        public IEnumerable<KeyValuePair<string, long>> UserRequests => [];

        public IEnumerable<KeyValuePair<string, long>> UserTokens => [];
    }
}
