namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Sliding-window logs in this process, with the same semantics as the Redis script: a request is
/// admitted only when the user's requests in the last 60 s are under RPM, the tokens reserved or
/// charged in the last 60 s plus this reservation fit TPM, and the model's requests in the last
/// second are under its RPS. One lock per user (and per model) keeps each check-and-record atomic.
/// </summary>
public sealed class InMemoryLimitStore(InMemoryUserStore users, TimeProvider time) : ILimitStore, ILimitUsageReader
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, SlidingLog> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SlidingLog> _models = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        UserRecord? user = null;
        if (request.User is { } name && (user = users.Find(name)) is null)
        {
            return new(new AdmissionDecision(AdmissionVerdict.UnknownUser, 0, 0, default, 0, 0, default));
        }

        SlidingLog? model = request.ModelRps > 0 ? Log(_models, request.Model) : null;
        SlidingLog? log = user is null ? null : Log(_users, user.Name);
        // Lock order: model before user, the same everywhere, so two admissions can't deadlock.
        lock (model ?? log ?? new object())
        {
            model?.Trim(now - Second);
            if (model is not null && model.Count >= request.ModelRps)
            {
                return new(Decision(AdmissionVerdict.ModelRequests, user, log, now));
            }

            if (log is null)
            {
                model?.Add(request.ReservationId, 0, now);
                return new(Decision(AdmissionVerdict.Admitted, null, null, now));
            }

            lock (log)
            {
                log.Trim(now - Minute);
                if (user!.Rpm > 0 && log.Count >= user.Rpm)
                {
                    return new(Decision(AdmissionVerdict.UserRequests, user, log, now));
                }

                if (user.Tpm > 0 && log.Tokens + request.ReservedTokens > user.Tpm)
                {
                    return new(Decision(AdmissionVerdict.UserTokens, user, log, now));
                }

                log.Add(request.ReservationId, request.ReservedTokens, now);
                model?.Add(request.ReservationId, 0, now);
                return new(Decision(AdmissionVerdict.Admitted, user, log, now));
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default)
    {
        var log = Log(_users, settlement.User);
        lock (log)
        {
            log.Settle(settlement, time.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<UserUsage> GetUsageAsync(string user, CancellationToken cancellationToken = default)
    {
        SlidingLog? log;
        lock (_users)
        {
            _users.TryGetValue(user, out log);
        }

        if (log is null)
        {
            return ValueTask.FromResult(default(UserUsage));
        }

        lock (log)
        {
            log.Trim(time.GetUtcNow() - Minute);
            return ValueTask.FromResult(new UserUsage(log.Count, log.Tokens));
        }
    }

    private SlidingLog Log(Dictionary<string, SlidingLog> logs, string key)
    {
        lock (logs)
        {
            if (!logs.TryGetValue(key, out var log))
            {
                logs[key] = log = new SlidingLog();
            }

            return log;
        }
    }

    private static AdmissionDecision Decision(AdmissionVerdict verdict, UserRecord? user, SlidingLog? log, DateTimeOffset now)
    {
        if (user is null || log is null)
        {
            return new(verdict, 0, 0, default, 0, 0, default);
        }

        var reset = log.Oldest is { } oldest ? oldest + Minute - now : TimeSpan.Zero;
        return new(
            verdict,
            Math.Max(0, user.Rpm),
            user.Rpm > 0 ? Math.Max(0, user.Rpm - log.Count) : 0,
            reset,
            Math.Max(0, user.Tpm),
            user.Tpm > 0 ? Math.Max(0, user.Tpm - log.Tokens) : 0,
            reset);
    }
}
