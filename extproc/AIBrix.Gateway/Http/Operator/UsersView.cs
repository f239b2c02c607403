using System.Text.Json;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Observability.History;

namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// <c>/debug/users</c> (admin token): every user with its limits, its usage in the last minute (the RPM and TPM window)
/// as the limit store counts it (every replica's, with Redis) beside this replica's own, refusals in the history window,
/// and its keys by id and prefix only: never a key, never a hash.
/// </summary>
internal static class UsersView
{
    private const int UsageSeconds = 60;

    public static async Task<IResult> WriteAsync(RequestLimiter? limiter, RequestHistory history, CancellationToken cancellationToken)
    {
        if (limiter is null)
        {
            return OperatorApi.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("limits", false);
                w.WriteStartArray("users");
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }

        IReadOnlyList<UserRecord> users;
        var keys = new Dictionary<string, IReadOnlyList<ApiKeyRecord>>(StringComparer.Ordinal);
        var stored = new Dictionary<string, UserUsage>(StringComparer.Ordinal);
        try
        {
            users = await limiter.Users.ListUsersAsync(cancellationToken);
            foreach (var user in users)
            {
                keys[user.Name] = await limiter.Users.ListKeysAsync(user.Name, cancellationToken);
                if (await limiter.GetUsageAsync(user.Name, cancellationToken) is { } usage)
                {
                    stored[user.Name] = usage;
                }
            }
        }
        catch (LimitStoreUnavailableException)
        {
            return AdminJson.Error(503, "the user store (Redis) is unreachable; retry later", "store_unavailable");
        }

        var (requests, tokens) = Usage(history, UsageSeconds);
        var refusals = Refusals(history);
        return OperatorApi.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("limits", true);
            w.WriteNumber("usageWindowSeconds", UsageSeconds);
            w.WriteStartArray("users");
            foreach (var user in users.OrderBy(u => u.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("name", user.Name);
                w.WriteNumber("rpm", user.Rpm);
                w.WriteNumber("tpm", user.Tpm);
                // The limit store's count is every replica's traffic (what the limits see); this replica's own is kept beside it.
                bool fromStore = stored.TryGetValue(user.Name, out var usage);
                w.WriteNumber("requestsInWindow", fromStore ? usage.Requests : requests.GetValueOrDefault(user.Name));
                w.WriteNumber("tokensInWindow", fromStore ? usage.Tokens : tokens.GetValueOrDefault(user.Name));
                w.WriteString("usageSource", fromStore ? "store" : "replica");
                w.WriteNumber("replicaRequestsInWindow", requests.GetValueOrDefault(user.Name));
                w.WriteNumber("replicaTokensInWindow", tokens.GetValueOrDefault(user.Name));
                w.WriteNumber("refusals", refusals.GetValueOrDefault(user.Name));
                w.WriteStartArray("keys");
                foreach (var key in keys[user.Name])
                {
                    w.WriteStartObject();
                    w.WriteString("id", key.Id);
                    w.WriteString("prefix", key.Prefix);
                    w.WriteString("created", key.CreatedAt);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static (Dictionary<string, long> Requests, Dictionary<string, long> Tokens) Usage(RequestHistory history, int seconds)
    {
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        var tokens = new Dictionary<string, long>(StringComparer.Ordinal);
        int buckets = (int)Math.Ceiling(seconds / (double)history.Options.BucketSeconds);
        history.Read(buckets, (_, b) =>
        {
            foreach (var (user, n) in b.UserRequests)
            {
                requests[user] = requests.GetValueOrDefault(user) + n;
            }

            foreach (var (user, n) in b.UserTokens)
            {
                tokens[user] = tokens.GetValueOrDefault(user) + n;
            }
        });
        return (requests, tokens);
    }

    private static Dictionary<string, long> Refusals(RequestHistory history)
    {
        var refusals = new Dictionary<string, long>(StringComparer.Ordinal);
        history.Read(history.Options.Buckets, (_, b) =>
        {
            foreach (var ((user, _), n) in b.Refusals)
            {
                refusals[user] = refusals.GetValueOrDefault(user) + n;
            }
        });
        return refusals;
    }
}
