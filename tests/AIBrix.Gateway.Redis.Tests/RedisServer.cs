using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, with no persistence; it can be killed and
/// started again on the same port to test outages. <c>make test</c> installs the Debian package.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"];
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string HostPort => $"127.0.0.1:{Port}";

    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "redis-server not found (looked in " + string.Join(", ", Candidates) + "). Install it with `apt-get install -y redis-server` or run `make test`, which does.");

    public static async Task<RedisServer> StartAsync()
    {
        // A "free" port is only free until someone binds it: another test process may take it before
        // redis-server does, or another fixture may have been handed the same port a moment earlier.
        // Redis exits at once when its bind fails, and a PING could then reach the other server, so
        // only a server whose own process is still alive after answering counts.
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort());
            try
            {
                await server.StartAgainAsync();
                await Task.Delay(100);
                if (server._process is { HasExited: false })
                {
                    return server;
                }
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
            }

            await server.KillAsync();
            if (attempt >= 5)
            {
                throw new InvalidOperationException("redis-server could not keep a port after 5 attempts");
            }
        }
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server (SIGKILL: no goodbye to clients) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>Sends one inline command on its own connection (admin commands the test client won't send) and returns the reply line.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        int read = await stream.ReadAsync(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, read).TrimEnd();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer);
            return read >= 5 && System.Text.Encoding.ASCII.GetString(buffer, 0, 5) == "+PONG";
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
