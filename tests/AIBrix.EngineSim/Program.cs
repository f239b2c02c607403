using System.Runtime.InteropServices;
using AIBrix.Cli;
using AIBrix.EngineSim;

return await CliRunner.InvokeAsync(CommandLine.CreateCommand(RunAsync), args, CommandLine.Tool);

static async Task<int> RunAsync(SimulatorOptions o, CancellationToken cancellationToken)
{
    SimulatorHost host;
    try
    {
        host = await SimulatorHost.StartAsync(o, cancellationToken);
    }
    catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync($"{CommandLine.Tool}: cannot start: " + ex.Message);
        return 1;
    }

    await using (host)
    {
        Console.WriteLine($"{CommandLine.Tool}: model {o.Model}, {o.Instances} instance(s), time-scale {o.TimeScale}, metrics {o.MetricsDialect}, profile {o.StepTimeModel.Name}");
        foreach (var instance in host.Instances)
        {
            Console.WriteLine($"  instance {instance.Index}: {instance.BaseAddress}"
                + (instance.KvEventsEndpoint is { } events ? $", KV events {events}" : "")
                + (instance.KvEventsReplayEndpoint is { } replay ? $" (replay {replay})" : ""));
        }

        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await using var cancelled = cancellationToken.Register(() => stop.TrySetResult());
        await stop.Task;
        Console.WriteLine($"{CommandLine.Tool}: stopping");
    }

    return 0;
}
