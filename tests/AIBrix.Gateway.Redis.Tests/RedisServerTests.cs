namespace AIBrix.Gateway.Redis.Tests;

/// <summary>The test server itself: a port someone else's Redis holds is never taken for ours.</summary>
public class RedisServerTests
{
    [Fact]
    public async Task StartAgainAsync_PortHeldByAnotherRedis_FailsInsteadOfUsingIt()
    {
        await using var first = await RedisServer.StartAsync();
        await using var second = RedisServer.NotStarted(first.Port);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(second.StartAgainAsync);

        Assert.Contains("held by another redis-server", error.Message, StringComparison.Ordinal);
        Assert.Equal("+PONG", await first.CommandAsync("PING"));
    }
}
