using AIBrix.Cli;
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
    public void ControllerCommandLine_NoControllersFlag_RunsEveryController()
    {
        var cli = ControllerCommandLine.Parse([]);

        Assert.Empty(cli.Errors);
        Assert.Equal(ControllerNames.All, cli.Controllers);
    }

    [Fact]
    public void ControllerCommandLine_UnknownController_ErrorNamesTheKnownOnes()
    {
        var cli = ControllerCommandLine.Parse(["--controllers", "modeladapter,bogus"]);

        string error = Assert.Single(cli.Errors);
        Assert.Contains("'bogus' is not one of", error, StringComparison.Ordinal);
        Assert.Contains(ControllerNames.ModelAdapter, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerCommandLine_RouterGateway_DefaultsToAIBrixNamesAndRejectsBadNames()
    {
        var defaults = ControllerCommandLine.Parse([]);
        var bad = ControllerCommandLine.Parse(["--router-gateway", "My_Gateway", "--router-gateway-namespace", "gw"]);

        Assert.Equal(("aibrix-eg", "aibrix-system"), (defaults.RouterGatewayName, defaults.RouterGatewayNamespace));
        Assert.Contains(ControllerNames.ModelRouter, defaults.Controllers);
        string error = Assert.Single(bad.Errors);
        Assert.Contains("--router-gateway: 'My_Gateway' is not a valid object name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerCommandLine_InlineValues_SameAsSeparate()
    {
        var cli = ControllerCommandLine.Parse(["--namespaces=a,b", "--leader-elect=true", "--leader-elect-namespace=ops", "--workers=2"]);

        Assert.Empty(cli.Errors);
        Assert.Equal((true, "ops", 2), (cli.LeaderElect, cli.LeaseNamespace, cli.Workers));
        Assert.Equal(["a", "b"], cli.Namespaces);
    }

    [Fact]
    public void ControllerCommandLine_Defaults_AllNamespacesNoElectionPort8081()
    {
        var cli = ControllerCommandLine.Parse([]);

        Assert.Empty(cli.Errors);
        Assert.Empty(cli.Namespaces);
        Assert.False(cli.LeaderElect);
        Assert.Equal(8081, cli.MetricsPort);
        Assert.Equal(4, cli.Workers);
        Assert.Equal(Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "aibrix-system", cli.LeaseNamespace);
    }

    [Fact]
    public void ControllerCommandLine_BadValues_EveryErrorListed()
    {
        var cli = ControllerCommandLine.Parse(["--metrics-port", "70000", "--kubeconfig", "/nonexistent/kubeconfig", "--bogus", "--workers"]);

        Assert.Equal(4, cli.Errors.Count);
        Assert.Contains(cli.Errors, e => e.Contains("--metrics-port", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("--bogus", StringComparison.Ordinal));
        Assert.Contains(cli.Errors, e => e.Contains("Required argument missing for option: '--workers'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aibrix-controllers: --workers: '0' is not a whole number from 1 to 256", "--workers", "0")]
    [InlineData("aibrix-controllers: --metrics-port: 'x' is not a port (0-65535)", "--metrics-port=x")]
    [InlineData("aibrix-controllers: Unrecognized command or argument '--bogus'.", "--bogus")]
    public async Task InvokeAsync_BadUsage_OneLineErrorExit2AndNothingRuns(string expected, params string[] args)
    {
        var error = new StringWriter();
        bool ran = false;

        int code = await CliRunner.InvokeAsync(ControllerCommandLine.CreateCommand((_, _) => { ran = true; return Task.FromResult(0); }), args, ControllerCommandLine.Tool, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.False(ran);
        Assert.Equal([expected, "Run 'aibrix-controllers --help' for usage."], error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task InvokeAsync_Help_EveryOptionWithItsDefault()
    {
        var output = new StringWriter();

        int code = await CliRunner.InvokeAsync(ControllerCommandLine.CreateCommand((_, _) => Task.FromResult(1)), ["--help"], ControllerCommandLine.Tool, output, TextWriter.Null);

        Assert.Equal(0, code);
        string help = output.ToString();
        Assert.Matches(@"(?m)--metrics-port <PORT>\s+HTTP port .*\[default: 8081\]\r?$", help);
        Assert.Matches(@"(?m)--workers <N>\s+parallel reconciles \[default: 4\]\r?$", help);
        Assert.Matches(@"(?m)--leader-elect-namespace <NS>\s+namespace of the Lease \[default: \$POD_NAMESPACE, else aibrix-system\]\r?$", help);
        Assert.Contains("--kubeconfig <FILE>", help, StringComparison.Ordinal);
        Assert.Contains("--namespace, --namespaces <NS[,NS]>", help, StringComparison.Ordinal);
        Assert.Contains("--leader-elect ", help, StringComparison.Ordinal);
    }
}
