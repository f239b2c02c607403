using AIBrix.Gateway.Core.Config;

namespace AIBrix.Gateway.Core.Tests.Config;

/// <summary><c>redis:</c> in its one-line and mapping forms: standalone, cluster seeds, sentinels.</summary>
public sealed class RedisAddressTests
{
    private static ConfigLoadResult Load(string redis) =>
        GatewayConfigLoader.Parse("endpoints:\n  - {name: p, address: \"127.0.0.1:1\", model: m}\n" + redis, "gw.yaml", _ => true);

    [Theory]
    [InlineData("redis: 127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("redis: \"a:7000, b:7001 ,c:7002\"", "a:7000,b:7001,c:7002")]
    [InlineData("redis: s1:26379,s2:26379,serviceName=mymaster", "s1:26379,s2:26379,serviceName=mymaster")]
    [InlineData("redis:\n  mode: cluster\n  endpoints: [a:7000, b:7000]", "a:7000,b:7000")]
    [InlineData("redis:\n  mode: sentinel\n  endpoints:\n    - s1:26379\n    - s2:26379\n  serviceName: mymaster", "s1:26379,s2:26379,serviceName=mymaster")]
    [InlineData("redis:\n  endpoints: r:6379", "r:6379")]
    public void Parse_EachForm_CanonicalOneLine(string yaml, string expected)
    {
        var result = Load(yaml);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Config!.Redis);
    }

    [Theory]
    [InlineData("redis: localhost", "gw.yaml: redis: 'localhost' is not \"host:port\" (port 1-65535)")]
    [InlineData("redis: a:70000", "gw.yaml: redis: 'a:70000' is not \"host:port\" (port 1-65535)")]
    [InlineData("redis: a:1,password=x", "gw.yaml: redis: 'password=x' is not an option here (only host:port addresses and serviceName=NAME)")]
    [InlineData("redis: a:1,serviceName=", "gw.yaml: redis: serviceName= needs the Sentinel service (master) name")]
    [InlineData("redis:\n  mode: sentinel\n  endpoints: [s:26379]", "gw.yaml: redis: mode sentinel needs serviceName (the name the sentinels monitor the primary under)")]
    [InlineData("redis:\n  mode: cluster\n  endpoints: [a:1]\n  serviceName: x", "gw.yaml: redis: serviceName is for mode sentinel only")]
    [InlineData("redis:\n  mode: standalone\n  endpoints: [a:1, b:2]", "gw.yaml: redis: mode standalone takes one address, got 2 (several seeds are mode cluster)")]
    [InlineData("redis:\n  mode: ring\n  endpoints: [a:1]", "gw.yaml: redis.mode: 'ring' is not one of standalone, cluster, sentinel")]
    [InlineData("redis:\n  mode: cluster", "gw.yaml: redis: no address: give host:port (a cluster: several seed nodes; sentinel: the sentinels)")]
    [InlineData("redis:\n  endpoint: a:1", "gw.yaml: redis: unknown key 'endpoint' (known: mode, endpoints, serviceName)")]
    [InlineData("redis: [a:1]", "gw.yaml: redis: expected \"host:port\" or a mapping with mode, endpoints and serviceName")]
    public void Parse_Unusable_OneClearError(string yaml, string error)
    {
        var result = Load(yaml);

        Assert.Null(result.Config);
        Assert.Equal(error, Assert.Single(result.Errors));
    }

    [Fact]
    public void Parse_CommandLineForm_ValidatesLikeTheFile()
    {
        var errors = new List<string>();

        var address = RedisAddress.Parse("h1:7000,h2:7000,h3:7000", "--redis", errors);

        Assert.Empty(errors);
        Assert.Equal(RedisMode.Cluster, address!.Mode);
        Assert.Null(RedisAddress.Parse("h1", "--redis", errors));
        Assert.Equal("--redis: 'h1' is not \"host:port\" (port 1-65535)", Assert.Single(errors));
    }
}
