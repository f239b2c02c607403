using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Key names. A user's keys share the hash tag <c>{u:name}</c>, so the admission script touches one
/// slot per user (a Redis Cluster requirement for multi-key scripts); the model window has its own.
/// </summary>
internal static class RedisKeys
{
    public const string Users = "aibrix:users";

    public static RedisKey User(string name) => $"aibrix:{{u:{name}}}:user";

    public static RedisKey UserKeys(string name) => $"aibrix:{{u:{name}}}:keys";

    public static RedisKey Requests(string name) => $"aibrix:{{u:{name}}}:rpm";

    public static RedisKey TokenLog(string name) => $"aibrix:{{u:{name}}}:tpm";

    public static RedisKey TokenAmounts(string name) => $"aibrix:{{u:{name}}}:tpm:amounts";

    public static RedisKey TokenSum(string name) => $"aibrix:{{u:{name}}}:tpm:sum";

    public static RedisKey ModelRequests(string model) => $"aibrix:{{m:{model}}}:rps";

    public static RedisKey ApiKey(string id) => $"aibrix:key:{id}";
}
