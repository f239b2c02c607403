using AIBrix.Cli;
using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway.Tests.Hosting;

/// <summary><c>aibrix-gateway</c>'s command line as a user meets it: help, inline values, exit codes.</summary>
public sealed class GatewayCommandLineTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private GatewayCommandLine? _ran;

    private Task<int> InvokeAsync(params string[] args) =>
        CliRunner.InvokeAsync(GatewayCommandLine.CreateCommand((cli, _) => { _ran = cli; return Task.FromResult(0); }), args, GatewayCommandLine.Tool, _out, _err);

    [Fact]
    public async Task InvokeAsync_InlineValues_SameAsSeparate()
    {
        Assert.Equal(0, await InvokeAsync("extproc", "--config=gw.yaml", "--grpc-port=9001", "--http-port=9002", "--listen=127.0.0.1",
            "--admin-token=t", "--discovery=kubernetes", "--namespaces=a,b", "--kubeconfig=k"));

        Assert.Equal(("gw.yaml", 9001, 9002, "127.0.0.1", "t", "kubernetes", "k"),
            (_ran!.ConfigPath, _ran.GrpcPort, _ran.HttpPort, _ran.Listen, _ran.AdminToken, _ran.Discovery, _ran.Kubeconfig));
        Assert.Equal(["a", "b"], _ran.Namespaces);
    }

    [Fact]
    public async Task InvokeAsync_StandaloneDefaults_LoopbackAndPort8888()
    {
        Assert.Equal(0, await InvokeAsync("standalone", "--config", "gw.yaml"));

        Assert.Equal((GatewayCommandLine.StandaloneMode, "127.0.0.1", 8888, "static", false), (_ran!.Mode, _ran.Listen, _ran.Port, _ran.Discovery, _ran.AdminInsecureLoopback));
    }

    [Fact]
    public async Task InvokeAsync_ExtProcDefaults_AllInterfacesAnd50052And8080()
    {
        Assert.Equal(0, await InvokeAsync("extproc", "--config", "gw.yaml", "--admin-insecure-loopback"));

        Assert.Equal(("0.0.0.0", 50052, 8080, true), (_ran!.Listen, _ran.GrpcPort, _ran.HttpPort, _ran.AdminInsecureLoopback));
        Assert.Null(_ran.AdminToken); // AIBRIX_ADMIN_TOKEN is read where the admin API is set up, when this is null
    }

    [Theory]
    [InlineData("aibrix-gateway: --grpc-port: '99999' is not a port (0-65535)", "extproc", "--config", "c", "--grpc-port", "99999")]
    [InlineData("aibrix-gateway: --listen: 'my-host' is not an IP address", "standalone", "--config", "c", "--listen", "my-host")]
    [InlineData("aibrix-gateway: --discovery: 'consul' is not static, kubernetes or inferencepool", "extproc", "--discovery=consul", "--config", "c")]
    [InlineData("aibrix-gateway: --config FILE is required", "standalone")]
    [InlineData("aibrix-gateway: Unrecognized command or argument '--grpc-port'.", "standalone", "--config", "c", "--grpc-port", "1")]
    public async Task InvokeAsync_BadUsage_OneLineErrorAndExit2(string expected, params string[] args)
    {
        Assert.Equal(2, await InvokeAsync(args));

        Assert.Null(_ran);
        Assert.Equal(expected, _err.ToString().Split(Environment.NewLine)[0]);
        Assert.Contains($"Run 'aibrix-gateway {args[0]} --help' for usage.", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NoMode_Exit2()
    {
        Assert.Equal(2, await InvokeAsync());

        Assert.StartsWith("aibrix-gateway: a mode is required (extproc or standalone)", _err.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extproc", @"--grpc-port <PORT>\s+gRPC port .*\[default: 50052\]", @"--http-port <PORT>\s+HTTP side port.*\[default: 8080\]", @"--listen <ADDRESS>\s+address to bind \[default: 0\.0\.0\.0\]")]
    [InlineData("standalone", @"--port <PORT>\s+the one HTTP port.*\[default: 8888\]", @"--listen <ADDRESS>\s+address to bind \[default: 127\.0\.0\.1\]", @"--discovery <static\|kubernetes\|inferencepool>\s+.*\[default: static\]")]
    public async Task InvokeAsync_Help_EveryOptionWithDescriptionAndDefault(string mode, params string[] patterns)
    {
        Assert.Equal(0, await InvokeAsync(mode, "--help"));

        string help = _out.ToString();
        foreach (string pattern in patterns)
        {
            Assert.Matches(pattern, help);
        }

        foreach (string option in new[] { "--config <FILE>", "--admin-token <TOKEN>", "--admin-insecure-loopback", "--namespaces <NS[,NS]>", "--kubeconfig <FILE>" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        Assert.Contains("$AIBRIX_ADMIN_TOKEN", help, StringComparison.Ordinal);
        Assert.Null(_ran);
    }
}
