using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AIBrix.EngineMetrics.Tests;

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) whose behaviour a test switches between requests.</summary>
internal sealed class LoopbackMetricsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _active;
    private int _maxActive;
    private int _requests;

    public LoopbackMetricsServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port { get; }

    public Uri MetricsUri => new($"http://127.0.0.1:{Port}/metrics");

    /// <summary>What the next requests get: status and body, or a delay before answering.</summary>
    public volatile Func<(int Status, string Body, TimeSpan Delay)> Behaviour = () => (200, "", TimeSpan.Zero);

    public int Requests => Volatile.Read(ref _requests);

    public int MaxConcurrentRequests => Volatile.Read(ref _maxActive);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        int active = Interlocked.Increment(ref _active);
        int seen;
        while (active > (seen = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, active, seen) != seen)
        {
        }

        try
        {
            var (status, body, delay) = Behaviour();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; version=0.0.4";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception)
        {
            // the client gave up (timeout test) or the server is stopping
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }
}
