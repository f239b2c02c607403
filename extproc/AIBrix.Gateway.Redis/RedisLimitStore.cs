using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Limits shared by every replica. A user's windows are checked and reserved by one <c>EVALSHA</c> on the
/// user's hash slot, atomically (Redis runs a script alone), so replicas together never admit past a limit.
/// A model's requests-per-second window lives in its own slot (on a Redis Cluster, often another node), so
/// a request with both limits makes two calls: the model's place is taken first and given back when the
/// user's limits refuse; either order admits nothing beyond a limit, this one keeps the single script's
/// verdict precedence (unknown user, model, rpm, tpm).
/// </summary>
public sealed class RedisLimitStore(IConnectionMultiplexer redis) : ILimitStore, ILimitUsageReader
{
    private static readonly AdmissionDecision ModelFull = new(AdmissionVerdict.ModelRequests, 0, 0, TimeSpan.Zero, 0, 0, TimeSpan.Zero);
    private static readonly AdmissionDecision Anonymous = new(AdmissionVerdict.Admitted, 0, 0, TimeSpan.Zero, 0, 0, TimeSpan.Zero);

    /// <inheritdoc/>
    public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        var db = redis.GetDatabase();
        bool modelTaken = false;
        if (request.ModelRps > 0)
        {
            var taken = await RedisCalls.Guard(db.ScriptEvaluateAsync(LimitScripts.AdmitModel,
                [RedisKeys.ModelRequests(request.Model)], [request.ReservationId, request.ModelRps]));
            if ((long)taken == 0)
            {
                if (request.User is not { } known)
                {
                    return ModelFull;
                }

                // The refusal carries the user's windows (x-ratelimit-* headers), as the single-node script's did.
                var state = await AdmitUserAsync(db, request, known, peek: true);
                return state.Verdict == AdmissionVerdict.UnknownUser ? state : state with { Verdict = AdmissionVerdict.ModelRequests };
            }

            modelTaken = true;
        }

        if (request.User is not { } user)
        {
            return Anonymous;
        }

        var decision = await AdmitUserAsync(db, request, user, peek: false);
        if (modelTaken && !decision.Admitted)
        {
            await ReleaseModelAsync(db, request);
        }

        return decision;
    }

    /// <inheritdoc/>
    public async ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = [RedisKeys.TokenLog(settlement.User), RedisKeys.TokenAmounts(settlement.User), RedisKeys.TokenSum(settlement.User)];
        RedisValue[] args = [settlement.ReservationId, settlement.ReservedTokens, settlement.ActualTokens];
        await RedisCalls.Guard(redis.GetDatabase().ScriptEvaluateAsync(LimitScripts.Settle, keys, args));
    }

    /// <inheritdoc/>
    public async ValueTask<UserUsage> GetUsageAsync(string user, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = [RedisKeys.Requests(user), RedisKeys.TokenLog(user), RedisKeys.TokenAmounts(user)];
        var result = await RedisCalls.Guard(redis.GetDatabase().ScriptEvaluateAsync(LimitScripts.Usage, keys));
        var r = (long[])result!;
        return new UserUsage(r[0], r[1]);
    }

    private static async Task<AdmissionDecision> AdmitUserAsync(IDatabase db, AdmissionRequest request, string user, bool peek)
    {
        RedisKey[] keys = [RedisKeys.User(user), RedisKeys.Requests(user), RedisKeys.TokenLog(user), RedisKeys.TokenAmounts(user), RedisKeys.TokenSum(user)];
        RedisValue[] args = [request.ReservationId, request.ReservedTokens, peek ? 1 : 0];
        var result = await RedisCalls.Guard(db.ScriptEvaluateAsync(LimitScripts.AdmitUser, keys, args));
        var r = (long[])result!;
        return new AdmissionDecision(
            (AdmissionVerdict)r[0],
            r[1],
            r[2],
            TimeSpan.FromMilliseconds(r[3]),
            r[4],
            r[5],
            TimeSpan.FromMilliseconds(r[6]));
    }

    /// <summary>
    /// Gives the model's place back after the user's limits refused. Best effort: if Redis fails now the
    /// place ages out of the one-second window by itself, refusing at worst one request too many, never admitting one.
    /// </summary>
    private static async Task ReleaseModelAsync(IDatabase db, AdmissionRequest request)
    {
        try
        {
            await RedisCalls.Guard(db.SortedSetRemoveAsync(RedisKeys.ModelRequests(request.Model), request.ReservationId));
        }
        catch (LimitStoreUnavailableException)
        {
        }
    }
}
