using AIBrix.EngineSim;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Hosting;

public class GatewayLifecycleTests
{
    [Fact]
    public async Task ConfigFileChange_AddsEndpointWithoutRestart()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, Model = "m", TimeScale = 50 });
        var addresses = sims.Instances.Select(i => $"127.0.0.1:{i.Port}").ToArray();
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(addresses[..1], "m"));
        Assert.Single(gateway.Registry.Current.All);

        await File.WriteAllTextAsync(gateway.ConfigPath, GatewayTestHost.ConfigFor(addresses, "m"));

        await gateway.WaitUntilAsync(s => s.All.Length == 2 && s.All.All(e => e.IsReady), "second endpoint added and ready");
    }

    [Fact]
    public async Task ConfigFileBroken_KeepsServingWithThePreviousConfig()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = "m", TimeScale = 50 });
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], "m"));

        await File.WriteAllTextAsync(gateway.ConfigPath, "endpoints: [{name: x}]");
        await Task.Delay(1500);

        Assert.Single(gateway.Registry.Current.All);
        using var envoy = gateway.Envoy();
        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(model: "m"));
        Assert.Equal(200, exchange.UpstreamStatus);
    }

    [Fact]
    public async Task PodStopsAnsweringMetrics_IsTakenOutOfRotation()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, Model = "m", TimeScale = 50 });
        var addresses = sims.Instances.Select(i => $"127.0.0.1:{i.Port}").ToArray();
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(addresses, "m"));

        await sims.Instances[1].DisposeAsync(); // the pod dies
        await gateway.WaitUntilAsync(s => s.ReadyFor("m").Length == 1, "dead pod out of rotation");

        using var envoy = gateway.Envoy();
        for (int i = 0; i < 10; i++)
        {
            var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(model: "m"));
            Assert.Equal(addresses[0], exchange.TargetPod);
            Assert.Equal(200, exchange.UpstreamStatus);
        }
    }

    [Fact]
    public void Build_InvalidConfig_ListsEveryProblem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "endpoints:\n  - {name: a, address: nowhere}\n  - {name: a, address: 10.0.0.1:8000}\nrouting: {defaultStrategy: fastest}\n");
        try
        {
            var cli = GatewayCommandLine.Parse(["extproc", "--config", path, "--grpc-port", "0", "--http-port", "0"]);

            var e = Assert.Throws<InvalidConfigException>(() => GatewayHost.Build(cli));

            Assert.True(e.Errors.Count >= 4, string.Join("\n", e.Errors));
            Assert.Contains(e.Errors, x => x.Contains("unknown strategy 'fastest'", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new string[0], "a mode is required")]
    [InlineData(new[] { "serve" }, "Unrecognized command or argument 'serve'")]
    [InlineData(new[] { "extproc" }, "--config FILE is required")]
    [InlineData(new[] { "extproc", "--config", "c.yaml", "--grpc-port", "x" }, "--grpc-port: 'x' is not a port")]
    [InlineData(new[] { "extproc", "--config", "c.yaml", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "extproc", "--config", "c.yaml", "--grpc-port", "9000", "--http-port", "9000" }, "both 9000")]
    [InlineData(new[] { "extproc", "--config" }, "Required argument missing for option: '--config'")]
    public void Parse_BadArguments_SaysWhatIsWrong(string[] args, string expected)
    {
        var cli = GatewayCommandLine.Parse(args);

        Assert.Contains(cli.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_GoodArguments_TakesEveryOption()
    {
        var cli = GatewayCommandLine.Parse(["extproc", "--config=c.yaml", "--grpc-port", "9001", "--http-port", "9002", "--listen", "127.0.0.1"]);

        Assert.Empty(cli.Errors);
        Assert.Equal(("c.yaml", 9001, 9002, "127.0.0.1"), (cli.ConfigPath, cli.GrpcPort, cli.HttpPort, cli.Listen));
    }
}
