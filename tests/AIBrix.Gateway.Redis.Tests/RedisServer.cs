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
    private readonly string? _configFile;
    private readonly IReadOnlyList<string> _extraArgs;
    private Process? _process;

    private RedisServer(int port, string? configFile = null, IReadOnlyList<string>? extraArgs = null)
    {
        Port = port;
        _configFile = configFile;
        _extraArgs = extraArgs ?? [];
    }

    public int Port { get; }

    public string HostPort => $"127.0.0.1:{Port}";

    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "redis-server not found (looked in " + string.Join(", ", Candidates) + "). Install it with `apt-get install -y redis-server` or run `make test`, which does.");

    public static Task<RedisServer> StartAsync() => StartAsync(null, []);

    /// <summary>
    /// Starts a server with a config file (first argument; <c>redis-server</c> may rewrite it, as Sentinel and
    /// Cluster do) and extra arguments after the usual ones (<c>--cluster-enabled yes</c>, <c>--sentinel</c>, ...).
    /// <paramref name="configFileFor"/> gets the port and returns the file's path (written by the caller).
    /// </summary>
    public static async Task<RedisServer> StartAsync(Func<int, string>? configFileFor, IReadOnlyList<string> extraArgs)
    {
        // A "free" port is only free until someone binds it: another test process or another fixture may
        // be handed the same port a moment later. Redis exits when its bind fails, but a PING could still
        // reach the other server, and a test would then use a server that goes away with someone else's
        // fixture. So a server counts as started only when the one answering on the port reports our
        // process id.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var server = new RedisServer(port, configFileFor?.Invoke(port), extraArgs);
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException)
            {
                await server.KillAsync();
                if (attempt >= 5)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>A server on a free port that is not started yet (a Redis that is not there, until <see cref="StartAgainAsync"/>).</summary>
    public static RedisServer NotStarted() => new(FreePort());

    /// <summary>A server that is not started yet on the given port.</summary>
    public static RedisServer NotStarted(int port) => new(port);

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_configFile is not null)
        {
            info.ArgumentList.Add(_configFile);
        }

        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in _extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await ServerProcessIdAsync() != _process.Id)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                int? other = await ServerProcessIdAsync();
                throw new InvalidOperationException(other is null
                    ? $"redis-server did not start on port {Port}"
                    : $"port {Port} is held by another redis-server (pid {other})");
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

    /// <summary>Whether the process is running (not killed, not exited).</summary>
    public bool Running => _process is { HasExited: false };

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

    /// <summary>The <c>process_id</c> that the server answering on the port reports, or null when none answers.</summary>
    private async Task<int?> ServerProcessIdAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("INFO server\r\n"u8.ToArray());
            var reply = new System.Text.StringBuilder();
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                reply.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                string text = reply.ToString();
                int at = text.IndexOf("process_id:", StringComparison.Ordinal);
                int end = at < 0 ? -1 : text.IndexOf('\r', at);
                if (end > 0)
                {
                    return int.Parse(text.AsSpan(at + "process_id:".Length, end - at - "process_id:".Length), System.Globalization.CultureInfo.InvariantCulture);
                }

                if (text.StartsWith('-'))
                {
                    return null; // LOADING or another error: not ready yet
                }
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return null;
        }
    }

    /// <summary>A loopback port free right now (see <see cref="StartAsync()"/> for why that is not enough alone).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
