using System.Runtime.InteropServices;
using AIBrix.Cli;
using AIBrix.Runtime;

return await CliRunner.InvokeAsync(RuntimeCommandLine.CreateCommand(RunAsync), args, RuntimeCommandLine.Tool).ConfigureAwait(false);

static async Task<int> RunAsync(RuntimeOptions options, CancellationToken cancellationToken)
{
    WebApplication app;
    try
    {
        app = RuntimeApp.Build(options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync($"{RuntimeCommandLine.Tool}: cannot start: {ex.Message}").ConfigureAwait(false);
        return 1;
    }

    await using (app.ConfigureAwait(false))
    {
        Console.WriteLine($"{RuntimeCommandLine.Tool}: listening on {options.Host}:{options.Port}, engine {options.Engine?.ToString() ?? "auto"} at {options.EngineUrl}, models in {options.ModelsDir}");
        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await using (cancellationToken.Register(() => stop.TrySetResult()).ConfigureAwait(false))
        {
            await stop.Task.ConfigureAwait(false);
        }

        Console.WriteLine($"{RuntimeCommandLine.Tool}: stopping");
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    return 0;
}
