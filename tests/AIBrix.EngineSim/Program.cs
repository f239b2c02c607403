using System.Runtime.InteropServices;
using AIBrix.EngineSim;

var parsed = CommandLine.Parse(args);
if (parsed.HelpRequested)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

if (parsed.Options is null)
{
    foreach (string error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync("aibrix-enginesim: " + error);
    }

    await Console.Error.WriteLineAsync("run with --help for usage");
    return 2;
}

SimulatorHost host;
try
{
    host = await SimulatorHost.StartAsync(parsed.Options);
}
catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync("aibrix-enginesim: cannot start: " + ex.Message);
    return 1;
}

await using (host)
{
    var o = parsed.Options;
    Console.WriteLine($"aibrix-enginesim: model {o.Model}, {o.Instances} instance(s), time-scale {o.TimeScale}, metrics {o.MetricsDialect}, profile {o.StepTimeModel.Name}");
    foreach (var instance in host.Instances)
    {
        Console.WriteLine($"  instance {instance.Index}: {instance.BaseAddress}");
    }

    var stop = new TaskCompletionSource();
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
    await stop.Task;
    Console.WriteLine("aibrix-enginesim: stopping");
}

return 0;
