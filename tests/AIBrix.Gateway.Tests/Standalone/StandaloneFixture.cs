using AIBrix.EngineSim;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>Four simulated engines and a standalone gateway in front of them.</summary>
public sealed class StandaloneFixture : IAsyncLifetime
{
    public const string Model = "llama-sim";

    public SimulatorHost Simulators { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    public IReadOnlyList<string> Addresses => Simulators.Instances.Select(i => $"127.0.0.1:{i.Port}").ToArray();

    public async Task InitializeAsync()
    {
        Simulators = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 4, Port = 0, Model = Model, TimeScale = 50, Seed = 7, OutputLenMean = 16 });
        Gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(Addresses, Model), standalone: true);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Simulators.DisposeAsync();
    }
}
