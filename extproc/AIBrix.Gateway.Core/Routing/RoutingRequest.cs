namespace AIBrix.Gateway.Core.Routing;

/// <summary>What a policy may know of the request it routes. Reused per stream; not shared across threads.</summary>
public sealed class RoutingRequest
{
    private List<KeyValuePair<string, string>>? _responseHeaders;
    private ulong[] _blockHashes = [];

    /// <summary>Request id (Envoy's <c>x-request-id</c> or one we made).</summary>
    public string RequestId { get; set; } = "";

    /// <summary>Model or adapter name as the client sent it.</summary>
    public string Model { get; set; } = "";

    private string? _promptText;

    /// <summary>The parsed request, once the body was read.</summary>
    public OpenAI.OpenAIRequest? Request { get; set; }

    /// <summary>
    /// The prompt text used for routing (messages concatenated). Decoded from the request only when a
    /// policy asks, so load-based policies never pay for a large prompt's string.
    /// </summary>
    public string PromptText
    {
        get => _promptText ?? Request?.PromptText ?? "";
        set => _promptText = value;
    }

    private ReadOnlyMemory<byte>? _promptUtf8;
    private int? _maxTokens;

    /// <summary>The routing prompt as UTF-8 (cheapest to hash): the request's, unless set; empty when only <see cref="PromptText"/> was set.</summary>
    public ReadOnlyMemory<byte> PromptUtf8
    {
        get => _promptUtf8 ?? Request?.PromptUtf8 ?? default;
        set => _promptUtf8 = value;
    }

    /// <summary>The request's output cap (<c>max_tokens</c>), when given.</summary>
    public int? MaxTokens
    {
        get => _maxTokens ?? Request?.MaxTokens;
        set => _maxTokens = value;
    }

    /// <summary>The user the request is accounted to, if known.</summary>
    public string? User { get; set; }

    /// <summary>Headers of the request (lower-case names) for policies that read one (sessions, filters).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = EmptyHeaders;

    /// <summary>Why the policy chose what it chose (for logs and the operator page); set by the policy.</summary>
    public string? Reason { get; set; }

    /// <summary>
    /// Set by a policy that could not apply its own rule (metrics missing or stale, no load signal) and fell
    /// back to another: a short reason such as <c>metrics-missing</c>. Shown in a metric and in the
    /// <c>x-aibrix-routing-fallback</c> response header, so a fallback is never silent.
    /// </summary>
    public string? Fallback { get; set; }

    /// <summary>Ready candidates the policy chose among (set by the pipeline before it asks the policy).</summary>
    public int CandidateCount { get; set; }

    /// <summary>The chosen endpoint's requests in flight from this gateway when it was picked (set by the pipeline).</summary>
    public int TargetLoad { get; set; }

    /// <summary>Prefix policies: the prompt's leading blocks the chosen endpoint already held (null for other policies).</summary>
    public int? MatchedBlocks { get; set; }

    /// <summary>Prefix policies: the prompt's blocks, to read <see cref="MatchedBlocks"/> against.</summary>
    public int? PromptBlocks { get; set; }

    /// <summary>Cost policies: the winner's predicted cost in seconds (e.g. <c>kv-cost</c>'s time to first token).</summary>
    public double? PredictedCost { get; set; }

    private List<KeyValuePair<string, double>>? _scoreParts;

    /// <summary>Weighted mixes: each scorer's weighted share of the winner's score (empty for single policies).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ScoreParts => _scoreParts ?? (IReadOnlyList<KeyValuePair<string, double>>)[];

    /// <summary>Notes one scorer's weighted share of the winning score (kept per stream, cleared with the decision).</summary>
    public void AddScorePart(string scorer, double weightedScore) => (_scoreParts ??= []).Add(new(scorer, weightedScore));

    /// <summary>Headers a policy wants on the response (e.g. <c>x-session-id</c>); empty for most requests.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders => _responseHeaders ?? (IReadOnlyList<KeyValuePair<string, string>>)[];

    /// <summary>Adds a header to the response.</summary>
    public void AddResponseHeader(string name, string value) => (_responseHeaders ??= []).Add(new(name, value));

    /// <summary>Rough prompt length in tokens (UTF-8 bytes / 4), for token-load accounting.</summary>
    public int EstimatedPromptTokens => (PromptUtf8.Length > 0 ? PromptUtf8.Length : PromptText.Length) / 4;

    /// <summary>Chained prefix block hashes of the prompt, computed once per request by the prefix policies.</summary>
    internal ReadOnlySpan<ulong> BlockHashes => _blockHashes.AsSpan(0, BlockCount);

    internal int BlockCount { get; private set; } = -1;

    internal bool HasBlockHashes => BlockCount >= 0;

    internal Span<ulong> RentBlockHashes(int count)
    {
        if (_blockHashes.Length < count)
        {
            _blockHashes = new ulong[Math.Max(count, 16)];
        }

        BlockCount = count;
        return _blockHashes.AsSpan(0, count);
    }

    internal void SetBlockCount(int count) => BlockCount = count;

    /// <summary>The prompt's block hashes as its engines compute them (for the KV-event index), once per request.</summary>
    public ulong[]? EngineBlockHashes { get; set; }

    /// <summary>The prompt's length in the engines' tokens, with <see cref="EngineBlockHashes"/>.</summary>
    public int EnginePromptTokens { get; set; }

    /// <summary>Forgets per-decision state so the object can route another request (benchmarks, retries).</summary>
    public void ResetDecision()
    {
        Reason = null;
        Fallback = null;
        CandidateCount = 0;
        TargetLoad = 0;
        MatchedBlocks = null;
        PromptBlocks = null;
        PredictedCost = null;
        _scoreParts?.Clear();
        BlockCount = -1;
        EngineBlockHashes = null;
        _responseHeaders?.Clear();
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyHeaders = new Dictionary<string, string>();
}
