namespace AIBrix.Gateway.Core.Routing;

/// <summary>Wire names of the routing strategies (AIBrix's names).</summary>
public static class RoutingPolicies
{
    /// <summary>Uniformly random among ready candidates.</summary>
    public const string Random = "random";

    /// <summary>Fewest requests in flight from this gateway.</summary>
    public const string LeastRequest = "least-request";
}
