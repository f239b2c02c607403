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

    [Fact]
    public void Discovery_UnknownMode_IsRejected()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "consul"]);

        Assert.Contains(cli.Errors, e => e.Contains("is not static, kubernetes or inferencepool", StringComparison.Ordinal));
    }

    [Fact]
    public void Discovery_KubernetesWithConfig_IsAccepted()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "kubernetes", "--config", "gw.yaml"]);

        Assert.Empty(cli.Errors);
        Assert.Equal("gw.yaml", cli.ConfigPath);
    }

    [Fact]
    public void Discovery_InferencePool_TakesPoolAndNamespace()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--discovery", "inferencepool", "--pool", "llama-pool", "--pool-namespace", "llm"]);

        Assert.Empty(cli.Errors);
        Assert.True(cli.DiscoversEndpoints);
        Assert.Equal(("llama-pool", "llm"), (cli.Pool, cli.PoolNamespace));
    }

    [Theory]
    [InlineData("--discovery inferencepool", "--discovery inferencepool needs --pool NAME")]
    [InlineData("--discovery kubernetes --pool p", "--pool is only read with --discovery inferencepool")]
    [InlineData("--discovery inferencepool --pool p --namespaces a", "--namespaces is not read with --discovery inferencepool (the pool's namespace is --pool-namespace)")]
    public void Discovery_InferencePool_BadCombinations_ClearErrors(string args, string error)
    {
        var cli = GatewayCommandLine.Parse(["extproc", .. args.Split(' ')]);

        Assert.Equal([error], cli.Errors);
    }
}
