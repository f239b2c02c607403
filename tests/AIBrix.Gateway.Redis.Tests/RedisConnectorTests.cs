using AIBrix.Redis;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>Start-up against addresses that cannot work, or do not answer yet.</summary>
public sealed class RedisConnectorTests
{
    [Fact]
    public async Task Connect_SentinelsDoNotKnowTheService_ClearSetupError()
    {
        await using var group = await RedisSentinels.StartAsync();
        string address = string.Join(',', group.Sentinels.Select(s => s.HostPort)) + ",serviceName=nosuch";

        var error = Assert.Throws<RedisSetupException>(() => RedisConnector.Connect(address).Dispose());

        Assert.Contains("do not monitor a service named 'nosuch'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ServiceNameOnADataNode_ClearSetupError()
    {
        await using var server = await RedisServer.StartAsync();

        var error = Assert.Throws<RedisSetupException>(() => RedisConnector.Connect(server.HostPort + ",serviceName=aibrix").Dispose());

        Assert.Equal($"redis: {server.HostPort} is not a Sentinel (it is a Redis standalone node): with serviceName= list the sentinels' addresses; for a server or a cluster drop serviceName=", error.Message);
    }

    [Fact]
    public async Task Connect_SentinelWithoutServiceName_ClearSetupError()
    {
        await using var group = await RedisSentinels.StartAsync();

        var error = Assert.Throws<RedisSetupException>(() => RedisConnector.Connect(group.Sentinels[0].HostPort).Dispose());

        Assert.StartsWith($"redis: {group.Sentinels[0].HostPort} is a Sentinel: add serviceName=NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NothingAnswersYet_ReturnsAndConnectsWhenRedisComes()
    {
        await using var server = RedisServer.NotStarted();

        using var connection = RedisConnector.Connect(server.HostPort);
        Assert.False(await RedisConnector.PrimaryAnswersAsync(connection));
        await server.StartAgainAsync();

        await RedisCli.WaitUntilAsync(() => RedisConnector.PrimaryAnswersAsync(connection), "the client did not connect", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Connect_SentinelsNotUpYet_DoesNotBlockStartUp()
    {
        int port = RedisServer.FreePort();

        using var connection = RedisConnector.Connect($"127.0.0.1:{port},serviceName=aibrix");

        Assert.False(connection.IsConnected);
    }
}
