using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary><c>--discovery kubernetes|static</c> on <c>aibrix-gateway extproc</c>.</summary>
public sealed class GatewayDiscoveryCommandLineTests
{
    [Fact]
    public void Discovery_Kubernetes_NeedsNoConfigAndTakesNamespaces()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "kubernetes", "--namespaces", "llm, team-b"]);

        Assert.Empty(cli.Errors);
        Assert.Equal("kubernetes", cli.Discovery);
        Assert.Equal(["llm", "team-b"], cli.Namespaces);
    }

    [Fact]
    public void Discovery_DefaultIsStaticWhichStillRequiresConfig()
    {
        var cli = GatewayCommandLine.Parse(["extproc"]);

        Assert.Equal("static", cli.Discovery);
        Assert.Contains("--config FILE is required", cli.Errors);
    }

    [Theory]
    [InlineData("--discovery", "consul", "is not static or kubernetes")]
    [InlineData("--config", "gw.yaml", "leave it out")]
    public void Discovery_Kubernetes_RejectsUnknownModeAndStaticConfig(string flag, string value, string expected)
    {
        var args = flag == "--discovery" ? new[] { "extproc", flag, value } : new[] { "extproc", "--discovery", "kubernetes", flag, value };

        var cli = GatewayCommandLine.Parse(args);

        Assert.Contains(cli.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
