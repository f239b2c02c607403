using System.Net;
using System.Net.Sockets;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary>
/// The real <c>aibrix-gateway</c> process started with settings it cannot run with: one clear line on
/// stderr and exit 2, never an unhandled exception (exit 134) with its stack.
/// </summary>
public sealed class GatewayStartupErrorTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("aibrix-gw-home").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("inferencepool --pool p")]
    public async Task Discovery_NoKubeconfigAndNotInCluster_OneLineAndExit2(string discovery)
    {
        var (exit, stderr) = await RunAsync($"extproc --discovery {discovery} --grpc-port 0 --http-port 0");

        Assert.Equal(2, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("aibrix-gateway: --discovery ", line, StringComparison.Ordinal);
        Assert.Contains("no Kubernetes configuration", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_InvalidFile_EveryProblemListedAndExit3()
    {
        string config = Path.Combine(_home, "bad.yaml");
        await File.WriteAllTextAsync(config, "endpoints:\n  - name: a\n    adress: 10.0.0.1:8000\nresilience:\n  retries: -1\n");

        var (exit, stderr) = await RunAsync($"standalone --config {config} --port 0");

        Assert.Equal(3, exit);   // an invalid configuration file (2 is for unusable command-line settings)
        Assert.Contains("bad.yaml:3", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_KubeconfigThatDoesNotExist_OneLineAndExit2()
    {
        var (exit, stderr) = await RunAsync($"extproc --discovery kubernetes --kubeconfig {Path.Combine(_home, "nope")} --grpc-port 0 --http-port 0");

        Assert.Equal(2, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_PortAlreadyTaken_OneLineAndExit2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        string config = Path.Combine(_home, "gw.yaml");
        await File.WriteAllTextAsync(config, "endpoints:\n  - {name: p, address: \"127.0.0.1:1\", model: m}\n");

        var (exit, stderr) = await RunAsync($"standalone --config {config} --listen 127.0.0.1 --port {port}");

        Assert.Equal(2, exit);
        Assert.Contains("aibrix-gateway: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Stderr)> RunAsync(string arguments) =>
        GatewayProcess.RunToExitAsync(arguments, start =>
        {
            start.Environment["HOME"] = _home;
            start.Environment["USERPROFILE"] = _home;
            start.Environment.Remove("KUBECONFIG");
            start.Environment.Remove("KUBERNETES_SERVICE_HOST");
            start.Environment.Remove("KUBERNETES_SERVICE_PORT");
        });
}
