using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;
using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>The outcome of checking an API key: the user, or the refusal.</summary>
/// <param name="User">The key's user when valid.</param>
/// <param name="Error">The refusal otherwise.</param>
public readonly record struct AuthResult(string? User, GatewayError? Error);

/// <summary>
/// API keys, admission and settlement over a user store and a limit store, with the failure mode
/// applied when the store is down. The key check is <see cref="ApiKeyAuthenticator"/>'s, the background
/// settlement writes and their retries <see cref="SettlementQueue"/>'s; both report to one <see cref="LimitStoreHealth"/>.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    /// <summary>How long a lost admission's release is retried: the limits' window (RPM and TPM are per minute).</summary>
    private static readonly TimeSpan ReleaseWindow = TimeSpan.FromMinutes(1);

    private readonly ILimitStore _store;
    private readonly ILimitObserver? _observer;
    private readonly LimitStoreHealth _health;
    private readonly ApiKeyAuthenticator _keys;
    private readonly SettlementQueue _settlements;

    /// <summary>Creates the limiter.</summary>
    public RequestLimiter(IUserStore users, ILimitStore store, AuthSettings auth, LimitSettings settings, TimeProvider time, ILogger logger, ILimitObserver? observer = null)
    {
        Users = users;
        _store = store;
        Auth = auth;
        Settings = settings;
        _observer = observer;
        _health = new LimitStoreHealth(settings.FailureMode, logger, observer, () => PendingSettlements);
        _keys = new ApiKeyAuthenticator(users, auth, time, _health);
        _settlements = new SettlementQueue(store, time, _health);
    }

    /// <summary>The <c>auth:</c> settings.</summary>
    public AuthSettings Auth { get; }

    /// <summary>The <c>limits:</c> settings.</summary>
    public LimitSettings Settings { get; }

    /// <summary>The user store (the admin API manages it).</summary>
    public IUserStore Users { get; }

    /// <summary>True while the store is believed unreachable.</summary>
    public bool InOutage => _health.InOutage;

    /// <summary>Settlements waiting for the store to come back.</summary>
    public int PendingSettlements => _settlements.Pending;

    /// <summary>Checks a presented key (the value of an <c>Authorization</c> header).</summary>
    public ValueTask<AuthResult> AuthenticateAsync(string? authorization, CancellationToken cancellationToken = default) =>
        _keys.AuthenticateAsync(authorization, cancellationToken);

    /// <summary>Drops a key from this replica's cache (it was revoked here).</summary>
    public void ForgetKey(string id) => _keys.ForgetKey(id);

    /// <summary>Drops every cached key of <paramref name="user"/> (the user was deleted here).</summary>
    public void ForgetUser(string user) => _keys.ForgetUser(user);

    /// <summary>
    /// Tokens reserved for a request: the prompt's UTF-8 bytes divided by <see cref="LimitSettings.PromptBytesPerToken"/>
    /// (rounded up) plus <see cref="LimitSettings.PromptOverheadTokens"/>, plus the output cap (<c>max_tokens</c> or
    /// <see cref="LimitSettings.DefaultMaxTokens"/>; none for embeddings).
    /// </summary>
    public long Reservation(OpenAIRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long prompt = (request.PromptByteLength + Settings.PromptBytesPerToken - 1) / Settings.PromptBytesPerToken + Settings.PromptOverheadTokens;
        long output = request.Api == OpenAIApi.Embeddings ? 0 : request.MaxTokens ?? Settings.DefaultMaxTokens;
        return prompt + Math.Max(0, output);
    }

    /// <summary>
    /// Admits a request for <paramref name="user"/> (null: no per-user limits) on <paramref name="model"/>.
    /// Returns the reservation to settle, or the refusal.
    /// </summary>
    public async ValueTask<(LimitReservation? Reservation, GatewayError? Error)> AdmitAsync(string? user, string model, long reservedTokens, CancellationToken cancellationToken = default)
    {
        long rps = Settings.ModelRps.GetValueOrDefault(model);
        if (user is null && rps <= 0)
        {
            return (null, null);
        }

        var request = new AdmissionRequest(Guid.NewGuid().ToString("N"), user, model, rps, reservedTokens);
        AdmissionDecision decision;
        try
        {
            decision = await _store.AdmitAsync(request, cancellationToken);
            _health.Answered();
        }
        catch (LimitStoreUnavailableException e)
        {
            _health.Failed(e);
            if (user is not null)
            {
                // A call that timed out may still have run: the store then holds a reservation nobody will settle
                // (found by aibrix-bench soak on a loaded machine, and again across a Redis restart, whose append-only
                // file kept an admission whose answer was lost). Release it, retried while the store is away but only
                // for one limit window: after that the store has dropped the entry itself.
                _settlements.Release(new Settlement(request.ReservationId, user, reservedTokens, 0), ReleaseWindow);
            }

            return Settings.FailureMode == LimitFailureMode.Open ? (null, null) : (null, GatewayError.LimitsUnavailable());
        }

        _observer?.OnAdmission(decision.Verdict);
        return decision.Verdict switch
        {
            AdmissionVerdict.Admitted => (user is null ? null : new LimitReservation(request.ReservationId, user, reservedTokens, decision), null),
            AdmissionVerdict.UnknownUser => (null, GatewayError.UnknownUser(user!)),
            _ => (null, Refusal(decision, user, model, reservedTokens)),
        };
    }

    /// <summary>
    /// Settles a reservation with the real token count, in the background. Call once per reservation
    /// (the pipeline calls it from the single finishing path of a request).
    /// </summary>
    public void Settle(LimitReservation reservation, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (actualTokens == reservation.ReservedTokens)
        {
            return;
        }

        _settlements.Enqueue(new Settlement(reservation.Id, reservation.User, reservation.ReservedTokens, Math.Max(0, actualTokens)));
    }

    /// <summary>
    /// The user's usage in the current window as the store counts it (every replica's traffic, for the shared store);
    /// null when the store cannot read usage. Throws <see cref="LimitStoreUnavailableException"/> when it is unreachable.
    /// </summary>
    public async ValueTask<UserUsage?> GetUsageAsync(string user, CancellationToken cancellationToken = default) =>
        _store is ILimitUsageReader reader ? await reader.GetUsageAsync(user, cancellationToken) : null;

    /// <summary>Stops the settlement retry loop.</summary>
    public void Dispose() => _settlements.Dispose();

    private static GatewayError Refusal(AdmissionDecision d, string? user, string model, long reserved)
    {
        if (d.Verdict == AdmissionVerdict.UserTokens && d.TokenLimit > 0 && reserved > d.TokenLimit)
        {
            // No window will ever hold it: a 429 with "retry in 0s" would make SDKs retry forever.
            return new GatewayError(GatewayErrorKind.TokensExceedLimit,
                $"Request too large for user '{GatewayError.Echo(user!)}' on tokens per min (TPM): Limit {d.TokenLimit}, Requested {reserved}. " +
                "Reduce the prompt or max_tokens (the reservation is the prompt estimate plus max_tokens, or limits.defaultMaxTokens when unset).",
                "max_tokens", "tpm-exceeded");
        }

        var headers = new List<KeyValuePair<string, string>>(7);
        TimeSpan wait;
        GatewayError error;
        switch (d.Verdict)
        {
            case AdmissionVerdict.UserTokens:
                wait = d.TokensReset;
                error = new GatewayError(GatewayErrorKind.TokenRateLimited,
                    $"Rate limit reached for user '{GatewayError.Echo(user!)}' on tokens per min (TPM): Limit {d.TokenLimit}, Remaining {d.TokensRemaining}, Requested {reserved}. Please try again in {RateLimitHeaders.Duration(wait)}.",
                    null, "tpm");
                break;
            case AdmissionVerdict.ModelRequests:
                wait = TimeSpan.FromSeconds(1);
                error = new GatewayError(GatewayErrorKind.RequestRateLimited,
                    $"Rate limit reached for model '{GatewayError.Echo(model)}' on requests per second. Please try again in 1s.", "model", "model-rps");
                break;
            default:
                wait = d.RequestsReset;
                error = new GatewayError(GatewayErrorKind.RequestRateLimited,
                    $"Rate limit reached for user '{GatewayError.Echo(user!)}' on requests per min (RPM): Limit {d.RequestLimit}. Please try again in {RateLimitHeaders.Duration(wait)}.",
                    null, "rpm");
                break;
        }

        RateLimitHeaders.Add(headers, d);
        headers.Add(new("retry-after", RateLimitHeaders.RetryAfter(wait)));
        return error with { Headers = headers };
    }
}

/// <summary>Tokens held for one admitted request until it settles.</summary>
/// <param name="Id">The reservation id.</param>
/// <param name="User">The user charged.</param>
/// <param name="ReservedTokens">Tokens reserved.</param>
/// <param name="Decision">The admission decision (for the response's <c>x-ratelimit-*</c> headers).</param>
public sealed record LimitReservation(string Id, string User, long ReservedTokens, AdmissionDecision Decision);
