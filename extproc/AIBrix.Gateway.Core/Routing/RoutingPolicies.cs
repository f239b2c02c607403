namespace AIBrix.Gateway.Core.Routing;

/// <summary>Wire names of the routing strategies (AIBrix's names). See docs/routing.md.</summary>
public static class RoutingPolicies
{
    /// <summary>Uniformly random among ready candidates.</summary>
    public const string Random = "random";

    /// <summary>Fewest requests in flight from this gateway.</summary>
    public const string LeastRequest = "least-request";

    /// <summary>Least token load in flight.</summary>
    public const string Throughput = "throughput";

    /// <summary>Least KV-cache usage, GPU plus CPU.</summary>
    public const string LeastKvCache = "least-kv-cache";

    /// <summary>Least GPU KV-cache usage.</summary>
    public const string LeastGpuCache = "least-gpu-cache";

    /// <summary>Least queued work in seconds.</summary>
    public const string LeastBusyTime = "least-busy-time";

    /// <summary>Least expected latency: queue plus prefill plus decode.</summary>
    public const string LeastLatency = "least-latency";

    /// <summary>The less loaded of two random candidates.</summary>
    public const string PowerOfTwo = "power-of-two";

    /// <summary>Longest cached prefix, under load guards.</summary>
    public const string PrefixCache = "prefix-cache";

    /// <summary>Longest cached prefix from the engines' KV-cache events (the estimate for pods without events).</summary>
    public const string PrefixCacheEvents = "prefix-cache-events";

    /// <summary>Least predicted time to first token: queued prefill plus this request's uncached tokens plus decode load.</summary>
    public const string KvCost = "kv-cost";

    /// <summary>Prefix cache with Preble's exploit/explore cost model.</summary>
    public const string PrefixCachePreble = "prefix-cache-preble";

    /// <summary>The same pod for the same session.</summary>
    public const string SessionAffinity = "session-affinity";

    /// <summary>Virtual token counter fairness per user.</summary>
    public const string VtcBasic = "vtc-basic";
}
