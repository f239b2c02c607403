using System.Diagnostics;
using AIBrix.Gateway.Hosting;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>The real <c>aibrix-gateway</c> as a process, for start-up paths that must end it (exit code, stderr).</summary>
internal static class GatewayProcess
{
    /// <summary>
    /// Runs <c>aibrix-gateway <paramref name="arguments"/></c> until it exits (a minute at most, then it is killed and
    /// the test fails) and returns its exit code and stderr; <paramref name="configure"/> may adjust its environment.
    /// </summary>
    public static async Task<(int Exit, string Stderr)> RunToExitAsync(string arguments, Action<ProcessStartInfo>? configure = null)
    {
        string dll = typeof(GatewayHost).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        configure?.Invoke(start);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"aibrix-gateway {arguments} did not exit; stdout: {await stdout}");
        }

        return (process.ExitCode, await stderr);
    }
}
