using AIBrix.Controllers.Hosting;

namespace AIBrix.Controllers.Tests.ModelAdapters;

public sealed class ControllerCommandLineTests
{
    [Fact]
    public void ControllerCommandLine_AllFlags_Parsed()
    {
        var cli = ControllerCommandLine.Parse(["--namespace", "a, b", "--leader-elect", "--metrics-port=9090", "--workers", "8"]);

        Assert.Empty(cli.Errors);
        Assert.Equal(["a", "b"], cli.Namespaces);
        Assert.True(cli.LeaderElect);
        Assert.Equal(9090, cli.MetricsPort);
        Assert.Equal(8, cli.Workers);
    }

    [Fact]
    public void ControllerCommandLine_Defaults_AllNamespacesNoElectionPort8081()
    {
        var cli = ControllerCommandLine.Parse([]);

        Assert.Empty(cli.Errors);
        Assert.Empty(cli.Namespaces);
        Assert.False(cli.LeaderElect);
        Assert.Equal(8081, cli.MetricsPort);
    }

    [Fact]
    public void ControllerCommandLine_BadValues_EveryErrorListed()
    {
        var cli = ControllerCommandLine.Parse(["--metrics-port", "70000", "--kubeconfig", "/nonexistent/kubeconfig", "--bogus", "--workers"]);

        Assert.Equal(4, cli.Errors.Count);
        Assert.Contains(cli.Errors, e => e.Contains("--metrics-port", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("--bogus", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("--workers needs a value", StringComparison.Ordinal));
    }
}
