using AIBrix.Gateway.Redis.Tests;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>
/// The real <c>aibrix-gateway</c> with a <c>redis:</c> that cannot work: a clear line and the right exit code
/// (3: the file is invalid; 2: what answers is not what the file says), never a stack trace.
/// </summary>
public sealed class RedisStartupErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aibrix-gw-redis").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ServiceNameOnADataNode_OneLineAndExit2()
    {
        await using var server = await RedisServer.StartAsync();

        var (exit, stderr) = await RunAsync($"redis: {server.HostPort},serviceName=aibrix");

        Assert.Equal(2, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"aibrix-gateway: redis: {server.HostPort} is not a Sentinel (it is a Redis standalone node): with serviceName= list the sentinels' addresses; for a server or a cluster drop serviceName=", line);
    }

    [Fact]
    public async Task SentinelWithoutServiceName_Exit3ListsTheProblem()
    {
        var (exit, stderr) = await RunAsync("redis:\n  mode: sentinel\n  endpoints: [127.0.0.1:26379]");

        Assert.Equal(3, exit);
        Assert.Contains("redis: mode sentinel needs serviceName", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Stderr)> RunAsync(string redis)
    {
        string config = Path.Combine(_dir, "gw.yaml");
        await File.WriteAllTextAsync(config, "endpoints:\n  - {name: p, address: \"127.0.0.1:1\", model: m}\n" + redis + "\n");
        return await GatewayProcess.RunToExitAsync($"extproc --config \"{config}\" --grpc-port 0 --http-port 0");
    }
}
