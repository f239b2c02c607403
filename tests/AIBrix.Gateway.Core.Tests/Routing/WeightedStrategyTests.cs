using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class WeightedStrategyTests
{
    private readonly RoutingPolicyRegistry _registry = RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(1));

    [Theory]
    [InlineData("prefix-cache:2,least-request:1", "prefix-cache:2,least-request:1")]
    [InlineData(" Prefix-Cache : 2 , least-request ", "prefix-cache:2,least-request:1")]
    [InlineData("least-kv-cache:0.5,random:0,throughput:1000000", "least-kv-cache:0.5,throughput:1000000")]
    [InlineData("least-request:1", "least-request:1")]
    public void TryResolve_ValidMix_CanonicalName(string spec, string canonical)
    {
        Assert.True(_registry.TryResolve(spec, out var policy, out var error), error);
        Assert.Equal(canonical, policy.Name);
    }

    [Theory]
    [InlineData(",", "empty entry")]
    [InlineData("prefix-cache:1,", "empty entry")]
    [InlineData("prefix-cache:", "is not a number")]
    [InlineData("prefix-cache:x", "is not a number")]
    [InlineData("prefix-cache:-1", "is not a number")]
    [InlineData("prefix-cache:1000001", "is not a number")]
    [InlineData("prefix-cache:1e3", "is not a number")]
    [InlineData("prefix-cache:NaN", "is not a number")]
    [InlineData("prefix-cache:Infinity", "is not a number")]
    [InlineData(":1", "names no strategy")]
    [InlineData("fastest:1", "can be weighted")]
    [InlineData("power-of-two:1,least-request:1", "can be weighted")]
    [InlineData("session-affinity:1", "can be weighted")]
    [InlineData("least-request:1,LEAST-REQUEST:2", "appears twice")]
    [InlineData("least-request:0,random:0", "every weight is 0")]
    [InlineData("least-request:1:2", "is not a number")]
    public void TryResolve_MalformedMix_FailsWithReason(string spec, string reason)
    {
        Assert.False(_registry.TryResolve(spec, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_UnknownPlainName_NoParseError()
    {
        Assert.False(_registry.TryResolve("fastest", out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void TryResolve_SameSpecTwice_SamePolicyInstance()
    {
        _registry.TryResolve("least-request:1,random:1", out var first, out _);
        _registry.TryResolve("least-request:1,random:1", out var second, out _);

        Assert.Same(first, second);
    }
}
