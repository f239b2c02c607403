using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AIBrix.Bench.Limits;

/// <summary>A redis-server the limits benchmarks start on a loopback port (no persistence), and wait for.</summary>
internal static class LocalRedis
{
    public const string DefaultExecutable = "/usr/bin/redis-server";

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="executable"/> on <paramref name="port"/> and returns once it answers PING.</summary>
    public static async Task<Process> StartAsync(int port, string executable = DefaultExecutable)
    {
        var process = Process.Start(new ProcessStartInfo(executable, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException($"cannot start {executable}");
        _ = process.StandardOutput.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (!await PingAsync(port))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"redis-server did not start on port {port}");
            }

            await Task.Delay(2);
        }

        return process;
    }

    /// <summary>Whether a Redis answers PING on the loopback <paramref name="port"/>.</summary>
    public static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[8];
            return await stream.ReadAsync(buffer) >= 5 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
