using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Limits shared by every replica: one <c>EVALSHA</c> per admission checks every window and reserves,
/// atomically (Redis runs a script alone), so replicas together never admit past a limit.
/// </summary>
public sealed class RedisLimitStore(IConnectionMultiplexer redis) : ILimitStore
{
    private static readonly RedisKey Unused = "aibrix:unused";

    /// <inheritdoc/>
    public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        string user = request.User ?? "";
        bool hasUser = request.User is not null;
        RedisKey[] keys =
        [
            hasUser ? RedisKeys.User(user) : Unused,
            hasUser ? RedisKeys.Requests(user) : Unused,
            hasUser ? RedisKeys.TokenLog(user) : Unused,
            hasUser ? RedisKeys.TokenAmounts(user) : Unused,
            hasUser ? RedisKeys.TokenSum(user) : Unused,
            request.ModelRps > 0 ? RedisKeys.ModelRequests(request.Model) : Unused,
        ];
        RedisValue[] args = [request.ReservationId, request.ReservedTokens, request.ModelRps, hasUser ? 1 : 0];
        var result = await RedisCalls.Guard(redis.GetDatabase().ScriptEvaluateAsync(LimitScripts.Admit, keys, args));
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

    /// <inheritdoc/>
    public async ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = [RedisKeys.TokenLog(settlement.User), RedisKeys.TokenAmounts(settlement.User), RedisKeys.TokenSum(settlement.User)];
        RedisValue[] args = [settlement.ReservationId, settlement.ReservedTokens, settlement.ActualTokens];
        await RedisCalls.Guard(redis.GetDatabase().ScriptEvaluateAsync(LimitScripts.Settle, keys, args));
    }
}
