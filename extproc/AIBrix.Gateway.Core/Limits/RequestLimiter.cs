using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;
using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>The outcome of checking an API key: the user, or the refusal.</summary>
/// <param name="User">The key's user when valid.</param>
/// <param name="Error">The refusal otherwise.</param>
public readonly record struct AuthResult(string? User, GatewayError? Error);

/// <summary>A key record as the store returned it, and when (UTC ticks).</summary>
internal sealed record VerifiedKey(ApiKeyRecord Record, long VerifiedAt);

/// <summary>
/// API keys, admission and settlement over a user store and a limit store, with the failure mode
/// applied when the store is down. Settlement never blocks the request path: a write that fails is
/// queued and retried until the store takes it (settlements are idempotent, so a retry can't double-charge).
/// </summary>
public sealed partial class RequestLimiter : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private const int MaxCachedKeys = 100_000;
    private readonly IUserStore _users;
    private readonly ILimitStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILimitObserver? _observer;
    private readonly ConcurrentQueue<Settlement> _retry = new();
    private readonly ConcurrentDictionary<string, VerifiedKey> _keys = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _outage;
    private int _retrying;

    /// <summary>Creates the limiter.</summary>
    public RequestLimiter(IUserStore users, ILimitStore store, AuthSettings auth, LimitSettings settings, TimeProvider time, ILogger logger, ILimitObserver? observer = null)
    {
        _users = users;
        _store = store;
        Auth = auth;
        Settings = settings;
        _time = time;
        _logger = logger;
        _observer = observer;
    }

    /// <summary>The <c>auth:</c> settings.</summary>
    public AuthSettings Auth { get; }

    /// <summary>The <c>limits:</c> settings.</summary>
    public LimitSettings Settings { get; }

    /// <summary>The user store (the admin API manages it).</summary>
    public IUserStore Users => _users;

    /// <summary>True while the store is believed unreachable.</summary>
    public bool InOutage => Volatile.Read(ref _outage) != 0;

    /// <summary>Settlements waiting for the store to come back.</summary>
    public int PendingSettlements => _retry.Count;

    /// <summary>Checks a presented key (the value of an <c>Authorization</c> header).</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(string? authorization, CancellationToken cancellationToken = default)
    {
        string? key = ApiKeys.FromAuthorization(authorization);
        if (key is null)
        {
            return new(null, GatewayError.InvalidApiKey("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."));
        }

        if (!ApiKeys.TryParse(key, out string id, out string secret))
        {
            return IncorrectKey();
        }

        long now = _time.GetUtcNow().UtcTicks;
        if (_keys.TryGetValue(id, out var cached) && now - cached.VerifiedAt < Auth.KeyCacheTtl.Ticks)
        {
            return Check(cached.Record, secret);
        }

        ApiKeyRecord? record;
        try
        {
            record = await _users.FindKeyAsync(id, cancellationToken);
            StoreAnswered();
        }
        catch (LimitStoreUnavailableException e)
        {
            StoreFailed(e);
            // A key can't be verified without the store. One verified a short while ago is still taken
            // (auth.keyStaleIfErrorSeconds), so an outage does not lock out every known user; any other
            // is refused, whatever the failure mode.
            if (cached is not null && now - cached.VerifiedAt < Auth.KeyStaleIfError.Ticks)
            {
                return Check(cached.Record, secret);
            }

            return new(null, GatewayError.LimitsUnavailable());
        }

        if (record is null)
        {
            _keys.TryRemove(id, out _);
            return IncorrectKey();
        }

        var result = Check(record, secret);
        if (result.Error is null && (Auth.KeyCacheTtl > TimeSpan.Zero || Auth.KeyStaleIfError > TimeSpan.Zero))
        {
            if (_keys.Count >= MaxCachedKeys)
            {
                _keys.Clear(); // bounded: a flood of distinct keys can't grow it without limit
            }

            _keys[id] = new VerifiedKey(record, now);
        }

        return result;
    }

    /// <summary>Drops a key from this replica's cache (it was revoked here).</summary>
    public void ForgetKey(string id) => _keys.TryRemove(id, out _);

    /// <summary>Drops every cached key of <paramref name="user"/> (the user was deleted here).</summary>
    public void ForgetUser(string user)
    {
        foreach (var (id, key) in _keys)
        {
            if (key.Record.User == user)
            {
                _keys.TryRemove(id, out _);
            }
        }
    }

    private static AuthResult Check(ApiKeyRecord record, string secret) =>
        ApiKeys.Verify(record, secret) ? new(record.User, null) : IncorrectKey();

    private static AuthResult IncorrectKey() => new(null, GatewayError.InvalidApiKey("Incorrect API key provided."));

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
            StoreAnswered();
        }
        catch (LimitStoreUnavailableException e)
        {
            StoreFailed(e);
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

        var settlement = new Settlement(reservation.Id, reservation.User, reservation.ReservedTokens, Math.Max(0, actualTokens));
        _ = SettleOnceAsync(settlement);
    }

    /// <summary>Stops the retry loop.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task SettleOnceAsync(Settlement settlement)
    {
        try
        {
            await _store.SettleAsync(settlement, _stopping.Token);
            StoreAnswered();
        }
        catch (Exception e) when (e is LimitStoreUnavailableException or OperationCanceledException)
        {
            if (e is LimitStoreUnavailableException unavailable)
            {
                StoreFailed(unavailable);
            }

            _retry.Enqueue(settlement);
            if (Interlocked.Exchange(ref _retrying, 1) == 0)
            {
                _ = RetryLoopAsync();
            }
        }
    }

    private async Task RetryLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(RetryDelay, _time, _stopping.Token);
                while (_retry.TryPeek(out var next))
                {
                    try
                    {
                        await _store.SettleAsync(next, _stopping.Token);
                    }
                    catch (LimitStoreUnavailableException)
                    {
                        break; // still down: keep it, try again after the delay
                    }

                    _retry.TryDequeue(out _);
                    StoreAnswered();
                }

                if (_retry.IsEmpty)
                {
                    Volatile.Write(ref _retrying, 0);
                    // A settlement queued between the check and the reset would otherwise wait for the next failure.
                    if (_retry.IsEmpty || Interlocked.Exchange(ref _retrying, 1) != 0)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down: what is still queued is lost with the process, as the reservations expire with their window
        }
    }

    private static GatewayError Refusal(AdmissionDecision d, string? user, string model, long reserved)
    {
        var headers = new List<KeyValuePair<string, string>>(7);
        TimeSpan wait;
        GatewayError error;
        switch (d.Verdict)
        {
            case AdmissionVerdict.UserTokens:
                wait = d.TokensReset;
                error = new GatewayError(GatewayErrorKind.TokenRateLimited,
                    $"Rate limit reached for user '{user}' on tokens per min (TPM): Limit {d.TokenLimit}, Remaining {d.TokensRemaining}, Requested {reserved}. Please try again in {RateLimitHeaders.Duration(wait)}.",
                    null, "tpm");
                break;
            case AdmissionVerdict.ModelRequests:
                wait = TimeSpan.FromSeconds(1);
                error = new GatewayError(GatewayErrorKind.RequestRateLimited,
                    $"Rate limit reached for model '{model}' on requests per second. Please try again in 1s.", "model", "model-rps");
                break;
            default:
                wait = d.RequestsReset;
                error = new GatewayError(GatewayErrorKind.RequestRateLimited,
                    $"Rate limit reached for user '{user}' on requests per min (RPM): Limit {d.RequestLimit}. Please try again in {RateLimitHeaders.Duration(wait)}.",
                    null, "rpm");
                break;
        }

        RateLimitHeaders.Add(headers, d);
        headers.Add(new("retry-after", RateLimitHeaders.RetryAfter(wait)));
        return error with { Headers = headers };
    }

    private void StoreAnswered()
    {
        if (Volatile.Read(ref _outage) != 0 && Interlocked.Exchange(ref _outage, 0) != 0)
        {
            Log.StoreRecovered(_logger, _retry.Count);
        }
    }

    private void StoreFailed(LimitStoreUnavailableException e)
    {
        _observer?.OnStoreError();
        if (Interlocked.Exchange(ref _outage, 1) == 0)
        {
            _observer?.OnStoreOutage();
            Log.StoreDown(_logger, e.Message, Settings.FailureMode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "limit store unreachable ({Reason}); failing {Mode} until it answers again")]
        public static partial void StoreDown(ILogger logger, string reason, LimitFailureMode mode);

        [LoggerMessage(2, LogLevel.Information, "limit store answers again; {Pending} settlements waiting to be written")]
        public static partial void StoreRecovered(ILogger logger, int pending);
    }
}

/// <summary>Tokens held for one admitted request until it settles.</summary>
/// <param name="Id">The reservation id.</param>
/// <param name="User">The user charged.</param>
/// <param name="ReservedTokens">Tokens reserved.</param>
/// <param name="Decision">The admission decision (for the response's <c>x-ratelimit-*</c> headers).</param>
public sealed record LimitReservation(string Id, string User, long ReservedTokens, AdmissionDecision Decision);
